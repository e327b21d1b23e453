using CallWaiting.Server.Configuration;

namespace CallWaiting.Server.Hosting;

/// <summary>Engine worker pool settings of the server (configuration section <c>Speech</c>).</summary>
public sealed class SpeechHostOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Speech";

    /// <summary>Engine worker processes kept warm; default one per core.</summary>
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>Requests that may wait for a busy pool before 503; null takes the pool's default (4 per worker).</summary>
    public int? QueueCapacity { get; set; }

    /// <summary>Longest a worker may stay silent during a request before it is declared hung.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (Workers is < 1 or > 256) yield return "Speech:Workers must be between 1 and 256.";
        if (QueueCapacity < 0) yield return "Speech:QueueCapacity must not be negative.";
        if (RequestTimeout <= TimeSpan.Zero) yield return "Speech:RequestTimeout must be positive.";
    }
}
