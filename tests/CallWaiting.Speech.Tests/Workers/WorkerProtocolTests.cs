using System.Buffers.Binary;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Workers;

namespace CallWaiting.Speech.Tests.Workers;

public sealed class WorkerProtocolTests
{
    [Fact]
    public void Hello_round_trips()
    {
        var voice = new EngineVoice("flite-slt", "flite", "slt", "SLT", "en-US", VoiceGender.Female, 16000, VoiceQuality.Robotic);
        var capabilities = new EngineCapabilities(true, true, true, false, false, true, 400);
        var hello = new WorkerHello(1234, [new WorkerEngineInfo("flite", capabilities, [voice])],
            [new WorkerEngineFailure("espeak", "missing")]);

        var frame = RoundTrip(w => WorkerMessages.WriteHello(w, hello), WorkerFrameType.Hello);
        var decoded = WorkerMessages.ReadHello(frame.Payload.Span);

        Assert.Equal(1234, decoded.ProcessId);
        var engine = Assert.Single(decoded.Engines);
        Assert.Equal("flite", engine.Name);
        Assert.Equal(capabilities, engine.Capabilities);
        Assert.Equal(voice, Assert.Single(engine.Voices));
        Assert.Equal(new WorkerEngineFailure("espeak", "missing"), Assert.Single(decoded.Failures));
    }

    [Fact]
    public void Hello_with_another_protocol_version_is_rejected()
    {
        var frame = RoundTrip(w => WorkerMessages.WriteHello(w, new WorkerHello(1, [], [])), WorkerFrameType.Hello);
        var payload = frame.Payload.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(payload, WorkerProtocol.Version + 1);
        Assert.Throws<WorkerProtocolException>(() => WorkerMessages.ReadHello(payload));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("h@l@U", 42)]
    public void Synthesize_round_trips(string? phonemes, int? seed)
    {
        var request = new EngineRequest("en-gb+f3", "Grüße, 世界! \"quoted\"", new Prosody(0.75, 1.25, 0.5), phonemes, seed);
        var frame = RoundTrip(w => WorkerMessages.WriteSynthesize(w, 7, "espeak", request), WorkerFrameType.Synthesize);
        var decoded = WorkerMessages.ReadSynthesize(frame.Payload.Span);
        Assert.Equal(7u, decoded.RequestId);
        Assert.Equal("espeak", decoded.Engine);
        Assert.Equal(request, decoded.Request);
    }

    [Fact]
    public void Phonemize_and_phonemes_round_trip_and_a_terminator_past_a_char_is_corrupt()
    {
        var ask = RoundTrip(w => WorkerMessages.WritePhonemize(w, 9, "en-us", "Hello, world."), WorkerFrameType.Phonemize);
        Assert.Equal(new PhonemizeMessage(9, "en-us", "Hello, world."), WorkerMessages.ReadPhonemize(ask.Payload.Span));

        PhonemeClause[] clauses = [new("həlˈoʊ", ','), new("wˈɜːld", '.'), new("", '\0')];
        var answer = RoundTrip(w => WorkerMessages.WritePhonemes(w, 9, clauses), WorkerFrameType.Phonemes);
        var (id, decoded) = WorkerMessages.ReadPhonemes(answer.Payload.Span);
        Assert.Equal(9u, id);
        Assert.Equal(clauses, decoded);

        var payload = answer.Payload.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(payload.Length - 4), 0x10000);
        Assert.Throws<WorkerProtocolException>(() => WorkerMessages.ReadPhonemes(payload));
    }

    [Fact]
    public void Audio_round_trips_samples_and_words()
    {
        short[] samples = [0, 1, -1, short.MaxValue, short.MinValue, 12345];
        WordBoundary[] words = [new("hello", 0, 3), new("world", 3, 3)];
        var frame = RoundTrip(w => WorkerMessages.WriteAudio(w, 9, 22050, samples, words, 0, lastPiece: true), WorkerFrameType.Audio);
        var (id, chunk) = WorkerMessages.ReadAudio(frame.Payload.Span);
        Assert.Equal(9u, id);
        Assert.Equal(22050, chunk.SampleRate);
        Assert.Equal(Pcm.Pcm16ToFloat(samples), chunk.Samples);
        Assert.Equal(words, chunk.Words);
    }

    [Fact]
    public void Audio_pieces_carry_only_their_words_with_relative_offsets()
    {
        var samples = new short[10];
        WordBoundary[] words = [new("a", 1, 2), new("b", 6, 2), new("c", 12, 0)];
        var first = RoundTrip(w => WorkerMessages.WriteAudio(w, 1, 8000, samples.AsSpan(0, 5), words, 0, lastPiece: false), WorkerFrameType.Audio);
        Assert.Equal([new WordBoundary("a", 1, 2)], WorkerMessages.ReadAudio(first.Payload.Span).Chunk.Words);
        var second = RoundTrip(w => WorkerMessages.WriteAudio(w, 1, 8000, samples.AsSpan(5, 5), words, 5, lastPiece: true), WorkerFrameType.Audio);
        Assert.Equal([new WordBoundary("b", 1, 2), new WordBoundary("c", 7, 0)], WorkerMessages.ReadAudio(second.Payload.Span).Chunk.Words);
    }

    [Fact]
    public void Done_cancel_and_error_round_trip()
    {
        var done = RoundTrip(w => WorkerMessages.WriteDone(w, 3), WorkerFrameType.Done);
        Assert.Equal(3u, WorkerMessages.ReadRequestId(done.Payload.Span));
        var cancel = RoundTrip(w => WorkerMessages.WriteCancel(w, uint.MaxValue), WorkerFrameType.Cancel);
        Assert.Equal(uint.MaxValue, WorkerMessages.ReadRequestId(cancel.Payload.Span));
        var error = RoundTrip(w => WorkerMessages.WriteError(w, 5, EngineErrorKind.InvalidRequest, "Unknown voice 'x'."), WorkerFrameType.Error);
        Assert.Equal(new ErrorMessage(5, EngineErrorKind.InvalidRequest, "Unknown voice 'x'."), WorkerMessages.ReadError(error.Payload.Span));
    }

    [Fact]
    public void Several_frames_are_read_in_order_then_clean_end_of_stream()
    {
        var stream = new MemoryStream();
        using (var writer = new FrameWriter(stream))
        {
            for (uint i = 0; i < 3; i++)
            {
                WorkerMessages.WriteDone(writer, i);
                writer.Send();
            }
        }
        stream.Position = 0;
        using var reader = new FrameReader(stream);
        for (uint i = 0; i < 3; i++)
        {
            Assert.True(reader.TryRead(out var frame));
            Assert.Equal(i, WorkerMessages.ReadRequestId(frame.Payload.Span));
        }
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public async Task Async_reader_reads_what_the_writer_wrote()
    {
        var stream = new MemoryStream();
        using (var writer = new FrameWriter(stream))
        {
            WorkerMessages.WriteError(writer, 8, EngineErrorKind.EngineFailure, "boom");
            await writer.SendAsync();
        }
        stream.Position = 0;
        using var reader = new FrameReader(stream);
        var frame = await reader.ReadAsync();
        Assert.NotNull(frame);
        Assert.Equal(WorkerFrameType.Error, frame.Value.Type);
        Assert.Equal("boom", WorkerMessages.ReadError(frame.Value.Payload.Span).Message);
        Assert.Null(await reader.ReadAsync());
    }

    [Theory]
    [InlineData(3)]   // inside the header
    [InlineData(7)]   // inside the payload
    public async Task Truncated_frames_are_rejected(int keep)
    {
        var bytes = Encode(w => WorkerMessages.WriteDone(w, 1));
        using var reader = new FrameReader(new MemoryStream(bytes[..keep]));
        Assert.Throws<WorkerProtocolException>(() => reader.TryRead(out _));
        using var asyncReader = new FrameReader(new MemoryStream(bytes[..keep]));
        await Assert.ThrowsAsync<WorkerProtocolException>(async () => await asyncReader.ReadAsync());
    }

    [Fact]
    public void Oversized_length_is_rejected_before_reading_the_payload()
    {
        var header = new byte[WorkerProtocol.HeaderLength];
        BinaryPrimitives.WriteUInt32LittleEndian(header, WorkerProtocol.MaxPayloadLength + 1u);
        header[4] = (byte)WorkerFrameType.Audio;
        using var reader = new FrameReader(new MemoryStream(header));
        var e = Assert.Throws<WorkerProtocolException>(() => reader.TryRead(out _));
        Assert.Contains("limit", e.Message);
    }

    [Fact]
    public void Unknown_frame_type_is_rejected()
    {
        var bytes = Encode(w => WorkerMessages.WriteDone(w, 1));
        bytes[4] = 0xEE;
        using var reader = new FrameReader(new MemoryStream(bytes));
        Assert.Throws<WorkerProtocolException>(() => reader.TryRead(out _));
    }

    [Fact]
    public void Writer_refuses_a_frame_over_the_limit()
    {
        using var writer = new FrameWriter(new MemoryStream());
        var request = new EngineRequest("slt", new string('a', WorkerProtocol.MaxPayloadLength), Prosody.Default);
        Assert.Throws<WorkerProtocolException>(() => WorkerMessages.WriteSynthesize(writer, 1, "flite", request));
    }

    [Fact]
    public void Malformed_payloads_are_rejected()
    {
        var audio = Encode(w => WorkerMessages.WriteAudio(w, 1, 16000, new short[4], [], 0, true))[WorkerProtocol.HeaderLength..];
        // Sample count larger than the bytes that follow.
        var lying = (byte[])audio.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(lying.AsSpan(12), 1000);
        Assert.Throws<WorkerProtocolException>(() => WorkerMessages.ReadAudio(lying));
        // Zero sample rate.
        var zeroRate = (byte[])audio.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(zeroRate.AsSpan(4), 0);
        Assert.Throws<WorkerProtocolException>(() => WorkerMessages.ReadAudio(zeroRate));
        // Trailing garbage.
        Assert.Throws<WorkerProtocolException>(() => WorkerMessages.ReadAudio([.. audio, 0]));
        // Invalid UTF-8 in a string and an unknown error kind.
        var error = Encode(w => WorkerMessages.WriteError(w, 1, EngineErrorKind.EngineFailure, "ab"))[WorkerProtocol.HeaderLength..];
        var badUtf8 = (byte[])error.Clone();
        badUtf8[^1] = 0xFF;
        Assert.Throws<WorkerProtocolException>(() => WorkerMessages.ReadError(badUtf8));
        var badKind = (byte[])error.Clone();
        badKind[4] = 200;
        Assert.Throws<WorkerProtocolException>(() => WorkerMessages.ReadError(badKind));
    }

    private static byte[] Encode(Action<FrameWriter> build)
    {
        var stream = new MemoryStream();
        using var writer = new FrameWriter(stream);
        build(writer);
        writer.Send();
        return stream.ToArray();
    }

    private static WorkerFrame RoundTrip(Action<FrameWriter> build, WorkerFrameType expected)
    {
        var bytes = Encode(build);
        Assert.Equal(bytes.Length - WorkerProtocol.HeaderLength, (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        var reader = new FrameReader(new MemoryStream(bytes));
        Assert.True(reader.TryRead(out var frame));
        Assert.Equal(expected, frame.Type);
        Assert.False(reader.TryRead(out _));
        // Copy out: the payload belongs to the reader's pooled buffer.
        var copy = new WorkerFrame(frame.Type, frame.Payload.ToArray());
        reader.Dispose();
        return copy;
    }
}
