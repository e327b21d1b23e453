using CallWaiting.Speech.Engines.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CallWaiting.Speech.Engines.Kokoro;

/// <summary>One loaded Kokoro graph, shared by every request and every voice of its folder.</summary>
/// <remarks>
/// The export is told from the graph's inputs (<see cref="KokoroExport"/>): token ids as <c>tokens</c> or
/// <c>input_ids</c> int64 [1,N] (pads included), <c>style</c> float32 [1,256], <c>speed</c> float32 or int32 [1]; the
/// audio is the first of <c>waveform</c> or <c>audio</c>, float32 at 24 kHz, of any rank. An export that also gives
/// <c>duration</c> (or <c>durations</c>), each token's length in frames of <see cref="FrameSamples"/> samples, has it read
/// for word timings.
/// </remarks>
public sealed class KokoroModel : IDisposable
{
    /// <summary>Kokoro's output rate.</summary>
    public const int SampleRate = 24_000;

    /// <summary>Samples per frame of the <c>duration</c> output (Kokoro's hop of 300 at 24 kHz, upsampled twice).</summary>
    public const int FrameSamples = 600;

    private const string Tokens = "tokens", InputIds = "input_ids", Style = "style", Speed = "speed";

    private readonly InferenceSession _session;
    private readonly OnnxTurns _turns;
    private readonly string _ids, _output;
    private readonly string? _durations;

    private KokoroModel(string path, InferenceSession session, KokoroExport export, string ids, string output, OnnxOptions options)
    {
        _durations = new[] { "duration", "durations" }.FirstOrDefault(name =>
            session.OutputMetadata.TryGetValue(name, out var node) && node.IsTensor
            && node.ElementDataType is TensorElementType.Int64 or TensorElementType.Float or TensorElementType.Int32);
        Path = path;
        Export = export;
        _session = session;
        _ids = ids;
        _output = output;
        _turns = new OnnxTurns(options);
    }

    /// <summary>The .onnx file.</summary>
    public string Path { get; }

    /// <summary>Which export the graph is.</summary>
    public KokoroExport Export { get; }

    /// <summary>Whether the graph gives each token's duration in frames of <see cref="FrameSamples"/> samples.</summary>
    public bool HasDurations => _durations is not null;

    /// <summary>Opens <paramref name="path"/> and tells its export from its inputs.</summary>
    /// <exception cref="InvalidDataException">The file is corrupt or its graph is none of Kokoro's exports; the message says why.</exception>
    public static KokoroModel Open(string path, OnnxSessionFactory sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var session = OnnxGraphCheck.Open(sessions, path);
        try
        {
            var (export, ids, output) = Check(session);
            return new KokoroModel(path, session, export, ids, output, sessions.Options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs the graph once for one chunk: its samples and, when the graph gives them, each token's duration in frames.</summary>
    /// <param name="tokens">Token ids with the pad 0 at both ends.</param>
    /// <param name="style">The voice's style row for the chunk's token count.</param>
    /// <param name="speed">The speed; a <see cref="KokoroExport.Hexgrad"/> graph takes it as a whole number.</param>
    /// <param name="mayQueue">Wait for a turn even past the queue limit (a stream already admitted).</param>
    /// <param name="cancellationToken">Stops waiting, and stops a running graph call.</param>
    /// <exception cref="EngineException">Overloaded, or the graph failed.</exception>
    public Task<(float[] Audio, float[]? Durations)> RunAsync(long[] tokens, ReadOnlyMemory<float> style, float speed, bool mayQueue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return _turns.RunAsync(options => Run(tokens, style, speed, options), $"The Kokoro model {System.IO.Path.GetFileName(Path)}",
            mayQueue, cancellationToken);
    }

    /// <summary>Releases the session.</summary>
    public void Dispose()
    {
        _session.Dispose();
        _turns.Dispose();
    }

    private (float[] Audio, float[]? Durations) Run(long[] tokens, ReadOnlyMemory<float> style, float speed, RunOptions options)
    {
        var inputs = new List<NamedOnnxValue>(3)
        {
            NamedOnnxValue.CreateFromTensor(_ids, new DenseTensor<long>(tokens, [1, tokens.Length])),
            NamedOnnxValue.CreateFromTensor(Style, new DenseTensor<float>(style.ToArray(), [1, style.Length])),
            Export == KokoroExport.Hexgrad
                ? NamedOnnxValue.CreateFromTensor(Speed, new DenseTensor<int>(new[] { (int)speed }, [1]))
                : NamedOnnxValue.CreateFromTensor(Speed, new DenseTensor<float>(new[] { speed }, [1])),
        };
        using var results = _session.Run(inputs, _durations is null ? [_output] : [_output, _durations], options);
        var audio = results[0].AsTensor<float>().ToArray();
        if (_durations is null) return (audio, null);
        float[] durations = results[1].ElementType switch
        {
            TensorElementType.Int64 => [.. results[1].AsTensor<long>().Select(d => (float)d)],
            TensorElementType.Int32 => [.. results[1].AsTensor<int>().Select(d => (float)d)],
            _ => results[1].AsTensor<float>().ToArray(),
        };
        return (audio, durations);
    }

    private static (KokoroExport Export, string Ids, string Output) Check(InferenceSession session)
    {
        var inputs = session.InputMetadata;
        var problems = new List<string>();
        var ids = inputs.ContainsKey(Tokens) ? Tokens : InputIds;
        OnnxGraphCheck.Expect(inputs, ids, TensorElementType.Int64, problems);
        OnnxGraphCheck.Expect(inputs, Style, TensorElementType.Float, problems);
        var intSpeed = inputs.TryGetValue(Speed, out var speed) && speed.IsTensor && speed.ElementDataType == TensorElementType.Int32;
        if (!intSpeed) OnnxGraphCheck.Expect(inputs, Speed, TensorElementType.Float, problems);
        var unknown = inputs.Keys.Except([ids, Style, Speed]).ToArray();
        if (unknown.Length > 0) problems.Add($"unexpected input(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}");
        var output = session.OutputMetadata.ContainsKey("waveform") ? "waveform" : "audio";
        OnnxGraphCheck.Expect(session.OutputMetadata, output, TensorElementType.Float, problems);
        if (problems.Count > 0)
            throw new InvalidDataException("input-name mismatch: not a Kokoro graph (tokens or input_ids, style, speed → waveform or audio): " + string.Join("; ", problems));
        var export = intSpeed ? KokoroExport.Hexgrad : ids == Tokens ? KokoroExport.V019 : KokoroExport.OnnxCommunity;
        return (export, ids, output);
    }
}
