using System.Globalization;

namespace CallWaiting.Testing;

/// <summary>Ogg Opus through the reference tools: opusdec decodes it (sox 14.4 has no Opus reader), opusinfo checks it.</summary>
public static class OpusFile
{
    /// <summary>The rate opusdec always decodes to.</summary>
    public const int DecodedRate = 48000;

    /// <summary>Decodes <paramref name="opus"/> to a 48 kHz WAV at <paramref name="wav"/>; fails the test if opusdec fails.</summary>
    public static void DecodeToWav(string opus, string wav) =>
        Cli.Run("opusdec", "--quiet", "--rate", DecodedRate.ToString(CultureInfo.InvariantCulture), opus, wav);

    /// <summary>
    /// The "original sample rate" of the stream's OpusHead. Unless <paramref name="partial"/> (a stream still in progress,
    /// without its end-of-stream page, which opusinfo reports as a fault) opusinfo must find no warning or error.
    /// </summary>
    public static int OriginalRate(string opus, bool partial = false)
    {
        var (code, stdout, stderr) = Cli.TryRun("opusinfo", opus);
        var info = stdout + stderr;
        if (!partial)
        {
            Assert.True(code == 0, $"opusinfo exited with {code}: {info}");
            Assert.DoesNotContain("warning", info, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("error", info, StringComparison.OrdinalIgnoreCase);
        }

        var line = info.Split('\n').Single(l => l.Contains("Original sample rate:", StringComparison.Ordinal));
        return int.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
