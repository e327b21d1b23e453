using System.Buffers;
using CallWaiting.Speech.Codecs.Native;

namespace CallWaiting.Speech.Codecs;

/// <summary>
/// Constant-bitrate mono MP3 through libmp3lame. No Xing/LAME tag is written (it would need a seek back to the
/// start), so decoders keep LAME's encoder delay and final-frame padding: a few milliseconds of extra silence.
/// <see cref="AudioEncoder.Flush"/> encodes silence until the frames hold every sample written (as lame_encode_flush
/// would), then lets lame_encode_flush_nogap close the bit reservoir so the next frame depends on nothing before it.
/// </summary>
internal sealed unsafe class Mp3Encoder : AudioEncoder
{
    // LAME's documented worst case for one call is 1.25 * samples + 7200 bytes; blocks keep that bounded.
    private const int BlockSamples = 4096;
    private const int FlushBufferBytes = 7200;

    // Like lame_encode_flush, a flush covers at least one granule (576 samples) past the input, so that the decoder's
    // own 529-sample synthesis delay does not keep the last samples back.
    private const int DecoderDelayCover = 576;

    // Silence goes in small steps: LAME encodes a frame once it holds enough lookahead, and what is fed past that
    // point only lengthens the gap.
    private const int PaddingStep = 32;

    private readonly LameHandle _lame;
    private readonly float[] _block = new float[BlockSamples];
    private long _samplesFed; // input and flush padding handed to LAME
    private long _audioEnd;   // _samplesFed just after the last written sample

    public Mp3Encoder(int sampleRate, AudioEncoderOptions options) : base(AudioFormat.Mp3, sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Mp3Quality, 0, nameof(options.Mp3Quality));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Mp3Quality, 9, nameof(options.Mp3Quality));
        try
        {
            var bitrate = options.Mp3BitrateKbps ?? DefaultBitrateKbps(sampleRate);
            var allowed = AllowedBitratesKbps(sampleRate);
            if (!allowed.Contains(bitrate))
            {
                throw new ArgumentOutOfRangeException(nameof(options.Mp3BitrateKbps), bitrate,
                    $"MP3 at {sampleRate} Hz allows these bitrates (kbit/s): {string.Join(", ", allowed)}.");
            }
            BitrateKbps = bitrate;
            _lame = LameNative.Init();
        }
        catch (DllNotFoundException e)
        {
            throw AudioEncoderException.LibraryMissing(LameNative.Library, "libmp3lame0", e);
        }
        if (_lame.IsInvalid) throw new AudioEncoderException("lame_init failed (out of memory).");
        try
        {
            LameNative.SetErrorReport(_lame, &LameNative.IgnoreReport);
            LameNative.SetDebugReport(_lame, &LameNative.IgnoreReport);
            LameNative.SetMessageReport(_lame, &LameNative.IgnoreReport);
            Check(LameNative.SetInSampleRate(_lame, sampleRate), "lame_set_in_samplerate");
            Check(LameNative.SetOutSampleRate(_lame, sampleRate), "lame_set_out_samplerate");
            Check(LameNative.SetNumChannels(_lame, 1), "lame_set_num_channels");
            Check(LameNative.SetMode(_lame, LameNative.ModeMono), "lame_set_mode");
            Check(LameNative.SetVbr(_lame, LameNative.VbrOff), "lame_set_VBR");
            Check(LameNative.SetBitrate(_lame, BitrateKbps), "lame_set_brate");
            Check(LameNative.SetQuality(_lame, options.Mp3Quality), "lame_set_quality");
            Check(LameNative.SetWriteVbrTag(_lame, 0), "lame_set_bWriteVbrTag");
            Check(LameNative.InitParams(_lame), "lame_init_params");
            EncoderDelay = LameNative.GetEncoderDelay(_lame);
            FrameSize = LameNative.GetFrameSize(_lame);
        }
        catch
        {
            _lame.Dispose();
            throw;
        }
    }

    /// <summary>The constant bitrate in use.</summary>
    internal int BitrateKbps { get; }

    /// <summary>Samples of silence LAME puts before the audio (decoders without a LAME tag keep them).</summary>
    internal int EncoderDelay { get; }

    /// <summary>Samples per MP3 frame: 1152 for MPEG-1, 576 for MPEG-2/2.5.</summary>
    internal int FrameSize { get; }

    /// <summary>A bitrate that keeps speech clear at each rate without wasting bytes.</summary>
    internal static int DefaultBitrateKbps(int sampleRate) => sampleRate switch
    {
        <= 8000 => 16,
        <= 12000 => 24,
        <= 16000 => 32,
        <= 24000 => 64,
        <= 32000 => 96,
        _ => 128,
    };

    /// <summary>The CBR bitrates of the MPEG version that <paramref name="sampleRate"/> belongs to, from LAME's own table.</summary>
    internal static int[] AllowedBitratesKbps(int sampleRate)
    {
        var version = sampleRate >= 32000 ? LameNative.Mpeg1 : sampleRate >= 16000 ? LameNative.Mpeg2 : LameNative.Mpeg25;
        var rates = new List<int>(14);
        // Index 0 is "free format" and 15 is forbidden; a negative entry ends a shorter row.
        for (var index = 1; index < 15; index++)
        {
            var kbps = LameNative.GetBitrate(version, index);
            if (kbps > 0) rates.Add(kbps);
        }
        return [.. rates];
    }

    private protected override void WriteCore(ReadOnlySpan<float> samples, IBufferWriter<byte> output)
    {
        if (samples.IsEmpty) return; // after a flush, the padding must not count as written audio
        while (!samples.IsEmpty)
        {
            var count = Math.Min(samples.Length, BlockSamples);
            SampleClamp.Copy(samples[..count], _block);
            EncodeBlock(count, output);
            samples = samples[count..];
        }
        _audioEnd = _samplesFed;
    }

    private protected override int FlushCore(IBufferWriter<byte> output)
    {
        var padding = 0;
        if (!FramesHoldAllAudio())
        {
            Array.Clear(_block, 0, PaddingStep);
            do
            {
                EncodeBlock(PaddingStep, output);
                padding += PaddingStep;
            }
            while (!FramesHoldAllAudio());
        }
        EmitFlush(output, reservoirOnly: true);
        return padding;
    }

    private protected override void CompleteCore(IBufferWriter<byte> output)
    {
        // Right after a flush the frames already hold everything: LAME's own flush would only add silence.
        EmitFlush(output, reservoirOnly: _samplesFed > 0 && FramesHoldAllAudio());
    }

    private protected override void Dispose(bool disposing)
    {
        if (disposing) _lame.Dispose();
    }

    // Encodes the first count samples of _block.
    private void EncodeBlock(int count, IBufferWriter<byte> output)
    {
        var capacity = count + count / 4 + 7200;
        var buffer = output.GetSpan(capacity);
        int written;
        fixed (float* pcm = _block)
        fixed (byte* mp3 = buffer)
        {
            // Mono input reads only the left channel; the same pointer is passed for both to be safe.
            written = LameNative.EncodeBufferIeeeFloat(_lame, pcm, pcm, count, mp3, capacity);
        }
        Check(written, "lame_encode_buffer_ieee_float");
        output.Advance(written);
        _samplesFed += count;
    }

    // Whether the frames encoded so far reach past the last written sample by the encoder and decoder delays.
    private bool FramesHoldAllAudio()
    {
        var needed = (_audioEnd + EncoderDelay + DecoderDelayCover + FrameSize - 1) / FrameSize;
        return LameNative.GetFrameNum(_lame) >= needed;
    }

    // Writes out what LAME still holds: with reservoirOnly just its bit reservoir, the last frame padded with ancillary
    // data, so the stream can go on (flush_nogap); otherwise its final frames, padded with silence.
    private void EmitFlush(IBufferWriter<byte> output, bool reservoirOnly)
    {
        var buffer = output.GetSpan(FlushBufferBytes);
        int written;
        fixed (byte* mp3 = buffer)
        {
            written = reservoirOnly ? LameNative.EncodeFlushNogap(_lame, mp3, FlushBufferBytes) : LameNative.EncodeFlush(_lame, mp3, FlushBufferBytes);
        }
        Check(written, reservoirOnly ? "lame_encode_flush_nogap" : "lame_encode_flush");
        output.Advance(written);
    }

    private static void Check(int result, string function)
    {
        if (result < 0) throw new AudioEncoderException($"{function} failed with LAME error {result}.");
    }
}
