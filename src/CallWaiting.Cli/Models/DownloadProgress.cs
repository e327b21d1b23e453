using System.Diagnostics;

namespace CallWaiting.Cli.Models;

/// <summary>A one-line progress bar on standard error, drawn only when standard error is a terminal.</summary>
internal sealed class DownloadProgress(string label, long total)
{
    private const int Width = 30;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly bool _enabled = !Console.IsErrorRedirected;
    private readonly Stopwatch _sinceDrawn = Stopwatch.StartNew();
    private bool _drawn;

    /// <summary>Redraws the bar for <paramref name="done"/> bytes, at most ten times a second.</summary>
    public void Report(long done)
    {
        if (!_enabled || (_drawn && _sinceDrawn.Elapsed < Interval && done < total)) return;
        var fraction = total == 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        var filled = (int)(fraction * Width);
        Console.Error.Write($"\r{label} [{new string('#', filled)}{new string('.', Width - filled)}] {(int)(fraction * 100),3}% {Megabytes(done)}/{Megabytes(total)} MB");
        _drawn = true;
        _sinceDrawn.Restart();
    }

    /// <summary>Ends the bar's line.</summary>
    public void Finish()
    {
        if (_drawn) Console.Error.WriteLine();
        _drawn = false;
    }

    private static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
