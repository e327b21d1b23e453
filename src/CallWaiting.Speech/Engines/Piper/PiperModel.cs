using CallWaiting.Speech.Engines.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CallWaiting.Speech.Engines.Piper;

/// <summary>One loaded Piper graph: its session, shared by every request, and its config.</summary>
/// <remarks>
/// The graph takes <c>input</c> int64 [1,N] (phoneme ids), <c>input_lengths</c> int64 [1], <c>scales</c> float32 [3]
/// (noise_scale, length_scale, noise_w) and, for multi-speaker models, <c>sid</c> int64 [1]; it gives <c>output</c>
/// float32 [1,1,1,T] or [1,1,T]. ONNX Runtime's sessions are thread-safe; <see cref="RunAsync"/> bounds how many
/// calls run at once.
/// </remarks>
public sealed class PiperModel : IDisposable
{
    private const string Input = "input", InputLengths = "input_lengths", Scales = "scales", SpeakerId = "sid", Output = "output",
        Durations = "w_ceil";

    /// <summary>Samples per frame of <c>w_ceil</c> (Piper's hop length).</summary>
    public const int HopLength = 256;

    private readonly InferenceSession _session;
    private readonly OnnxTurns _turns;

    private PiperModel(string path, PiperConfig config, InferenceSession session, OnnxOptions options)
    {
        Path = path;
        Config = config;
        _session = session;
        _turns = new OnnxTurns(options);
    }

    /// <summary>The .onnx file.</summary>
    public string Path { get; }

    /// <summary>The voice's config.</summary>
    public PiperConfig Config { get; }

    /// <summary>Whether the graph also gives <c>w_ceil</c>, each id's duration in frames of <see cref="HopLength"/> samples.</summary>
    public bool HasDurations => _session.OutputMetadata.ContainsKey(Durations);

    /// <summary>Opens <paramref name="path"/> and checks its graph against Piper's inputs and outputs.</summary>
    /// <exception cref="InvalidDataException">The file is corrupt or its graph is not Piper's; the message says why.</exception>
    public static PiperModel Open(string path, PiperConfig config, OnnxSessionFactory sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var session = OnnxGraphCheck.Open(sessions, path);
        try
        {
            Check(session, config);
            return new PiperModel(path, config, session, sessions.Options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs the graph once: the samples of one sentence and, when the graph gives them, each id's duration in frames.</summary>
    /// <param name="ids">Phoneme ids, BOS to EOS.</param>
    /// <param name="lengthScale">Piper's length_scale (larger is slower).</param>
    /// <param name="speaker">The speaker id, for multi-speaker graphs.</param>
    /// <param name="mayQueue">Wait for a turn even past the queue limit (a stream already admitted).</param>
    /// <param name="cancellationToken">Stops waiting, and stops a running graph call.</param>
    /// <exception cref="EngineException">Overloaded, or the graph failed.</exception>
    public Task<(float[] Audio, float[]? Durations)> RunAsync(long[] ids, float lengthScale, long speaker, bool mayQueue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return _turns.RunAsync(options => Run(ids, lengthScale, speaker, options), $"The Piper model {System.IO.Path.GetFileName(Path)}",
            mayQueue, cancellationToken);
    }

    /// <summary>Releases the session.</summary>
    public void Dispose()
    {
        _session.Dispose();
        _turns.Dispose();
    }

    private (float[] Audio, float[]? Durations) Run(long[] ids, float lengthScale, long speaker, RunOptions options)
    {
        var inputs = new List<NamedOnnxValue>(4)
        {
            NamedOnnxValue.CreateFromTensor(Input, new DenseTensor<long>(ids, [1, ids.Length])),
            NamedOnnxValue.CreateFromTensor(InputLengths, new DenseTensor<long>(new[] { (long)ids.Length }, [1])),
            NamedOnnxValue.CreateFromTensor(Scales, new DenseTensor<float>(new[] { Config.NoiseScale, lengthScale, Config.NoiseW }, [3])),
        };
        if (_session.InputMetadata.ContainsKey(SpeakerId))
            inputs.Add(NamedOnnxValue.CreateFromTensor(SpeakerId, new DenseTensor<long>(new[] { speaker }, [1])));
        using var results = _session.Run(inputs, HasDurations ? [Output, Durations] : [Output], options);
        return (results[0].AsTensor<float>().ToArray(), HasDurations ? results[1].AsTensor<float>().ToArray() : null);
    }

    private static void Check(InferenceSession session, PiperConfig config)
    {
        var inputs = session.InputMetadata;
        var problems = new List<string>();
        OnnxGraphCheck.Expect(inputs, Input, TensorElementType.Int64, problems);
        OnnxGraphCheck.Expect(inputs, InputLengths, TensorElementType.Int64, problems);
        OnnxGraphCheck.Expect(inputs, Scales, TensorElementType.Float, problems);
        if (inputs.ContainsKey(SpeakerId)) OnnxGraphCheck.Expect(inputs, SpeakerId, TensorElementType.Int64, problems);
        else if (config.MultiSpeaker) problems.Add($"the config has {config.Speakers.Count} speakers but the graph has no '{SpeakerId}' input");
        var unknown = inputs.Keys.Except([Input, InputLengths, Scales, SpeakerId]).ToArray();
        if (unknown.Length > 0) problems.Add($"unexpected input(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}");
        OnnxGraphCheck.Expect(session.OutputMetadata, Output, TensorElementType.Float, problems);
        if (problems.Count > 0) throw new InvalidDataException("input-name mismatch: not Piper's graph: " + string.Join("; ", problems));
    }
}
