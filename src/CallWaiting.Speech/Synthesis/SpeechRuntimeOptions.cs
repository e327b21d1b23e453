namespace CallWaiting.Speech.Synthesis;

/// <summary>Settings for the whole speech core: worker pool, text front end and synthesis.</summary>
public sealed record SpeechRuntimeOptions
{
    /// <summary>Engine worker processes; default one per core.</summary>
    public int WorkerCount { get; init; } = Environment.ProcessorCount;

    /// <summary>Requests that may wait for a worker before new ones are refused as overloaded; null takes the pool default.</summary>
    public int? QueueCapacity { get; init; }

    /// <summary>Longest a worker may go without sending audio before it is declared hung and replaced.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Folder of neural voice files (Piper's <c>NAME.onnx</c> + <c>NAME.onnx.json</c>); null loads none.</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>ONNX Runtime settings for the neural voices.</summary>
    public Engines.Onnx.OnnxOptions Onnx { get; init; } = new();

    /// <summary>Synthesis settings.</summary>
    public SynthesisOptions Synthesis { get; init; } = new();

    /// <summary>Text front-end settings.</summary>
    public Text.TextFrontEndOptions Text { get; init; } = new();
}
