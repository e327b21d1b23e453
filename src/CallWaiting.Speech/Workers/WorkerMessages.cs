using System.Runtime.InteropServices;
using System.Text.Json;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Workers;

/// <summary>A decoded Synthesize frame.</summary>
internal readonly record struct SynthesizeMessage(uint RequestId, string Engine, EngineRequest Request) : IWorkerCommand;

/// <summary>A decoded Phonemize frame.</summary>
internal readonly record struct PhonemizeMessage(uint RequestId, string Voice, string Text) : IWorkerCommand;

/// <summary>A decoded Error frame.</summary>
internal readonly record struct ErrorMessage(uint RequestId, EngineErrorKind Kind, string Message);

/// <summary>Encodes and decodes the payload of every frame type (layouts in <see cref="WorkerProtocol"/>).</summary>
internal static class WorkerMessages
{
    // Smallest encoded word: empty string (4) + offset (8) + length (8).
    private const int MinWordSize = 20;
    private const int MaxSampleRate = 384_000;

    public static void WriteHello(FrameWriter writer, WorkerHello hello)
    {
        writer.Begin(WorkerFrameType.Hello);
        writer.WriteUInt32(WorkerProtocol.Version);
        writer.WriteBytes(JsonSerializer.SerializeToUtf8Bytes(hello, WorkerJsonContext.Default.WorkerHello));
    }

    public static WorkerHello ReadHello(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var version = reader.ReadUInt32();
        if (version != WorkerProtocol.Version)
            throw new WorkerProtocolException($"The worker speaks protocol version {version}; expected {WorkerProtocol.Version}.");
        try
        {
            return JsonSerializer.Deserialize(reader.ReadRest(), WorkerJsonContext.Default.WorkerHello)
                ?? throw new WorkerProtocolException("The Hello payload is empty.");
        }
        catch (JsonException e)
        {
            throw new WorkerProtocolException("The Hello payload is not valid JSON.", e);
        }
    }

    public static void WriteSynthesize(FrameWriter writer, uint requestId, string engine, EngineRequest request)
    {
        writer.Begin(WorkerFrameType.Synthesize);
        writer.WriteUInt32(requestId);
        writer.WriteString(engine);
        writer.WriteString(request.Voice);
        writer.WriteString(request.Text);
        writer.WriteDouble(request.Prosody.Rate);
        writer.WriteDouble(request.Prosody.Pitch);
        writer.WriteDouble(request.Prosody.Volume);
        writer.WriteOptionalString(request.Phonemes);
        writer.WriteOptionalInt32(request.Seed);
    }

    public static SynthesizeMessage ReadSynthesize(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var id = reader.ReadUInt32();
        var engine = reader.ReadString();
        var voice = reader.ReadString();
        var text = reader.ReadString();
        var prosody = new Prosody(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
        var phonemes = reader.ReadOptionalString();
        var seed = reader.ReadOptionalInt32();
        reader.EnsureEnd();
        return new SynthesizeMessage(id, engine, new EngineRequest(voice, text, prosody, phonemes, seed));
    }

    public static void WritePhonemize(FrameWriter writer, uint requestId, string voice, string text)
    {
        writer.Begin(WorkerFrameType.Phonemize);
        writer.WriteUInt32(requestId);
        writer.WriteString(voice);
        writer.WriteString(text);
    }

    public static PhonemizeMessage ReadPhonemize(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var message = new PhonemizeMessage(reader.ReadUInt32(), reader.ReadString(), reader.ReadString());
        reader.EnsureEnd();
        return message;
    }

    public static void WritePhonemes(FrameWriter writer, uint requestId, IReadOnlyList<PhonemeClause> clauses)
    {
        writer.Begin(WorkerFrameType.Phonemes);
        writer.WriteUInt32(requestId);
        writer.WriteUInt32((uint)clauses.Count);
        foreach (var clause in clauses)
        {
            writer.WriteString(clause.Phonemes);
            writer.WriteUInt32(clause.Terminator);
        }
    }

    public static (uint RequestId, PhonemeClause[] Clauses) ReadPhonemes(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var id = reader.ReadUInt32();
        // Smallest clause: an empty string (4) and its terminator (4).
        var clauses = new PhonemeClause[reader.ReadCount(8)];
        for (var i = 0; i < clauses.Length; i++)
        {
            var phonemes = reader.ReadString();
            var terminator = reader.ReadUInt32();
            if (terminator > char.MaxValue) throw new WorkerProtocolException($"Invalid clause terminator {terminator}.");
            clauses[i] = new PhonemeClause(phonemes, (char)terminator);
        }
        reader.EnsureEnd();
        return (id, clauses);
    }

    /// <summary>
    /// Writes one Audio frame for <paramref name="samples"/>, which start at <paramref name="firstSample"/> of the
    /// block the words refer to; only the words that start inside this piece go in.
    /// </summary>
    public static void WriteAudio(FrameWriter writer, uint requestId, int sampleRate, ReadOnlySpan<short> samples,
        IReadOnlyList<WordBoundary> words, long firstSample, bool lastPiece)
    {
        var end = firstSample + samples.Length;
        var count = 0;
        foreach (var word in words)
            if (Contains(word, firstSample, end, lastPiece)) count++;

        writer.Begin(WorkerFrameType.Audio);
        writer.WriteUInt32(requestId);
        writer.WriteUInt32((uint)sampleRate);
        writer.WriteUInt32((uint)count);
        foreach (var word in words)
        {
            if (!Contains(word, firstSample, end, lastPiece)) continue;
            writer.WriteString(word.Word);
            writer.WriteInt64(word.SampleOffset - firstSample);
            writer.WriteInt64(word.SampleLength);
        }
        writer.WriteUInt32((uint)samples.Length);
        writer.WriteSamples(samples);
    }

    /// <summary>Decodes an Audio frame into a float chunk that owns its samples.</summary>
    public static (uint RequestId, AudioChunk Chunk) ReadAudio(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var id = reader.ReadUInt32();
        var sampleRate = reader.ReadUInt32();
        if (sampleRate is 0 or > MaxSampleRate) throw new WorkerProtocolException($"Invalid sample rate {sampleRate}.");
        var wordCount = reader.ReadCount(MinWordSize);
        var words = wordCount == 0 ? AudioChunk.NoWords : ReadWords(ref reader, wordCount);
        var sampleCount = reader.ReadCount(sizeof(short));
        var bytes = reader.ReadBytes(sampleCount * sizeof(short));
        reader.EnsureEnd();
        return (id, new AudioChunk(ToFloat(bytes), (int)sampleRate, words));
    }

    public static void WriteDone(FrameWriter writer, uint requestId) => WriteRequestId(writer, WorkerFrameType.Done, requestId);

    public static void WriteCancel(FrameWriter writer, uint requestId) => WriteRequestId(writer, WorkerFrameType.Cancel, requestId);

    /// <summary>Decodes the payload of Done and Cancel.</summary>
    public static uint ReadRequestId(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var id = reader.ReadUInt32();
        reader.EnsureEnd();
        return id;
    }

    public static void WriteError(FrameWriter writer, uint requestId, EngineErrorKind kind, string message)
    {
        writer.Begin(WorkerFrameType.Error);
        writer.WriteUInt32(requestId);
        writer.WriteByte((byte)kind);
        writer.WriteString(message);
    }

    public static ErrorMessage ReadError(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var id = reader.ReadUInt32();
        var kind = (EngineErrorKind)reader.ReadByte();
        if (!Enum.IsDefined(kind)) throw new WorkerProtocolException($"Unknown error kind {(int)kind}.");
        var message = reader.ReadString();
        reader.EnsureEnd();
        return new ErrorMessage(id, kind, message);
    }

    private static void WriteRequestId(FrameWriter writer, WorkerFrameType type, uint requestId)
    {
        writer.Begin(type);
        writer.WriteUInt32(requestId);
    }

    // Pieces partition the block; words before the first or after the last sample stay with the nearest piece.
    private static bool Contains(WordBoundary word, long start, long end, bool lastPiece) =>
        (word.SampleOffset >= start || start == 0) && (word.SampleOffset < end || lastPiece);

    private static WordBoundary[] ReadWords(ref PayloadReader reader, int count)
    {
        var words = new WordBoundary[count];
        for (var i = 0; i < count; i++)
            words[i] = new WordBoundary(reader.ReadString(), reader.ReadInt64(), reader.ReadInt64());
        return words;
    }

    private static float[] ToFloat(ReadOnlySpan<byte> pcm16)
    {
        if (BitConverter.IsLittleEndian) return Pcm.Pcm16ToFloat(MemoryMarshal.Cast<byte, short>(pcm16));
        var result = new float[pcm16.Length / sizeof(short)];
        for (var i = 0; i < result.Length; i++)
            result[i] = System.Buffers.Binary.BinaryPrimitives.ReadInt16LittleEndian(pcm16[(i * sizeof(short))..]) / 32768f;
        return result;
    }
}
