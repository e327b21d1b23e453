namespace CallWaiting.Speech.Workers;

/// <summary>
/// Constants of the framed binary protocol spoken between the API process (parent) and an engine worker
/// process, parent → worker on the worker's stdin and worker → parent on its stdout.
/// </summary>
/// <remarks>
/// <para>
/// Every frame is <c>[u32 payload length][u8 <see cref="WorkerFrameType"/>][payload]</c>; integers and floats
/// are little-endian. A payload longer than <see cref="MaxPayloadLength"/>, an unknown type, a truncated frame or
/// a payload that does not parse exactly is corrupt: the parent kills a worker that sends one, and a worker exits
/// when its parent sends one. Strings are <c>[u32 byte count][UTF-8 bytes]</c>; optional values start with a
/// <c>u8</c> presence flag (0 or 1).
/// </para>
/// <list type="table">
/// <listheader><term>Frame</term><description>Payload</description></listheader>
/// <item><term>Hello (worker → parent, once, first)</term><description><c>[u32 <see cref="Version"/>][UTF-8 JSON of
/// <see cref="WorkerHello"/>]</c>: the engines that loaded, their capabilities and voices, and load failures.</description></item>
/// <item><term>Synthesize (parent → worker)</term><description><c>[u32 request id][str engine][str voice][str text]
/// [f64 rate][f64 pitch][f64 volume][opt str phonemes][opt i32 seed]</c>.</description></item>
/// <item><term>Audio (worker → parent)</term><description><c>[u32 request id][u32 sample rate][u32 word count]
/// {[str word][i64 sample offset][i64 sample length]}*[u32 sample count][i16 samples]</c>; word offsets are relative
/// to the frame's first sample; at most <see cref="MaxSamplesPerFrame"/> samples.</description></item>
/// <item><term>Done (worker → parent)</term><description><c>[u32 request id]</c>: the request ended, completed or
/// cancelled.</description></item>
/// <item><term>Error (worker → parent)</term><description><c>[u32 request id][u8 EngineErrorKind][str message]</c>.</description></item>
/// <item><term>Cancel (parent → worker)</term><description><c>[u32 request id]</c>: stop that request soon.</description></item>
/// <item><term>Phonemize (parent → worker)</term><description><c>[u32 request id][str voice][str text]</c>: espeak-ng
/// IPA of the text, clause by clause.</description></item>
/// <item><term>Phonemes (worker → parent)</term><description><c>[u32 request id][u32 clause count]{[str IPA][u16
/// terminator]}*</c>: ends a Phonemize request (or Error does).</description></item>
/// </list>
/// <para>
/// A worker serves one request at a time. After Phonemize the parent reads exactly one Phonemes or Error frame. After Synthesize the parent reads Audio frames until exactly one Done or
/// Error with the same id; only then is the worker free again. A Cancel does not change that: the worker still ends
/// the request with Done (or Error), so the stream stays in step. A Cancel for a request that already ended is ignored.
/// A worker exits when its stdin reaches end of file, so it never outlives its parent.
/// </para>
/// </remarks>
internal static class WorkerProtocol
{
    /// <summary>Protocol version carried in Hello; the parent refuses a worker that speaks another.</summary>
    public const uint Version = 2;

    /// <summary>Bytes before the payload: length and type.</summary>
    public const int HeaderLength = 5;

    /// <summary>Largest payload either side accepts; anything longer means a broken peer.</summary>
    public const int MaxPayloadLength = 4 * 1024 * 1024;

    /// <summary>Largest number of samples a worker puts in one Audio frame (about 1 s at 16 kHz).</summary>
    public const int MaxSamplesPerFrame = 16 * 1024;
}
