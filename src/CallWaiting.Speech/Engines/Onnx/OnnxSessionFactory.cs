using Microsoft.ML.OnnxRuntime;

namespace CallWaiting.Speech.Engines.Onnx;

/// <summary>Builds the session settings every model shares, choosing the execution provider once.</summary>
public sealed class OnnxSessionFactory
{
    private readonly OnnxOptions _options;
    private readonly bool _cuda;

    /// <summary>Checks the settings and, when CUDA is asked for, whether it can be used.</summary>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public OnnxSessionFactory(OnnxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problems() is { Count: > 0 } problems) throw new ArgumentException(string.Join(" ", problems), nameof(options));
        _options = options;
        if (!options.IsCuda) return;
        try
        {
            using var probe = new SessionOptions();
            probe.AppendExecutionProvider_CUDA();
            _cuda = true;
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            // The CPU package has no CUDA provider, or no device or driver is there: the models still run, on the CPU.
            Warning = $"Onnx:Provider is cuda, but CUDA cannot be used ({e.Message.Split('\n')[0]}); models run on the CPU.";
        }
    }

    /// <summary>The provider the sessions use: <c>cuda</c> or <c>cpu</c>.</summary>
    public string Provider => _cuda ? "cuda" : "cpu";

    /// <summary>Why the asked-for provider is not used, or null.</summary>
    public string? Warning { get; }

    /// <summary>The settings.</summary>
    public OnnxOptions Options => _options;

    /// <summary>Opens <paramref name="path"/> as a session.</summary>
    /// <exception cref="OnnxRuntimeException">The file is not a model ONNX Runtime can load.</exception>
    public InferenceSession Open(string path)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = _options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", _options.AllowSpinning ? "1" : "0");
        if (_cuda) options.AppendExecutionProvider_CUDA();
        return new InferenceSession(path, options);
    }
}
