namespace CallWaiting.Speech.Engines.Onnx;

/// <summary>ONNX Runtime settings for the in-process neural engines (configuration section <c>Onnx</c>).</summary>
public sealed class OnnxOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Onnx";

    /// <summary>Threads one graph call may use; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Whether ONNX Runtime's pool threads spin while they wait for work. Off by default: spinning threads keep taking
    /// cores for a while after each call, from every other model, the engine workers and the server, and on a shared
    /// machine a graph call measured 3 to 4 times slower with it on (docs/BENCHMARKS.md).
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>Graph calls one model runs at once; further sentences wait for a turn.</summary>
    public int MaxConcurrencyPerModel { get; set; } = 2;

    /// <summary>Sentences that may wait for a model's turn before new requests are refused as overloaded.</summary>
    public int MaxQueuePerModel { get; set; } = 32;

    /// <summary>
    /// A stream's first sentence longer than this many phoneme symbols (Piper) or tokens (Kokoro) is spoken in two graph
    /// calls, cut after its first clause mark (, ; :), so that its first audio comes sooner; 0 never cuts.
    /// </summary>
    public int FirstSentenceCut { get; set; } = 100;

    /// <summary>Execution provider: <c>cpu</c>, or <c>cuda</c> (used when the CUDA provider and a GPU exist, else CPU with a warning).</summary>
    public string Provider { get; set; } = "cpu";

    /// <summary>Every problem with these settings, empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (IntraOpThreads is < 0 or > 1024) problems.Add("Onnx:IntraOpThreads must be between 0 (ONNX Runtime's choice) and 1024.");
        if (MaxConcurrencyPerModel is < 1 or > 1024) problems.Add("Onnx:MaxConcurrencyPerModel must be between 1 and 1024.");
        if (FirstSentenceCut is < 0 or > 100_000) problems.Add("Onnx:FirstSentenceCut must be between 0 (never cut) and 100000.");
        if (MaxQueuePerModel is < 0 or > 100_000) problems.Add("Onnx:MaxQueuePerModel must be between 0 and 100000.");
        if (!IsCuda && !string.Equals(Provider, "cpu", StringComparison.OrdinalIgnoreCase))
            problems.Add($"Onnx:Provider must be cpu or cuda, not '{Provider}'.");
        return problems;
    }

    /// <summary>Whether the CUDA provider is asked for.</summary>
    public bool IsCuda => string.Equals(Provider, "cuda", StringComparison.OrdinalIgnoreCase);
}
