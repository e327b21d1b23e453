namespace CallWaiting.Cli.Models;

/// <summary>A download that failed; <see cref="Resumable"/> says whether its <c>.part</c> file was kept for the next try.</summary>
internal sealed class ModelDownloadException(string message, bool resumable, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Whether the partial file is good to resume from (an interrupted transfer, not a refused one).</summary>
    public bool Resumable { get; } = resumable;
}
