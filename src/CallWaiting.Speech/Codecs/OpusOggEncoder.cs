using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using CallWaiting.Speech.Codecs.Native;

namespace CallWaiting.Speech.Codecs;

/// <summary>
/// Mono Opus (libopus, 20 ms frames) in an Ogg stream laid out per RFC 7845: an OpusHead page, an OpusTags
/// page, then audio pages of <see cref="AudioEncoderOptions.OggPageDurationMs"/> each, the last one marked
/// end-of-stream with the granule position that trims the final frame's padding.
/// <see cref="AudioEncoder.Flush"/> completes the current frame with silence (and one more frame while the encoder's
/// lookahead still holds written samples) and ends the page; Ogg Opus can trim padding only at the end of the stream,
/// so that silence stays in it.
/// </summary>
internal sealed unsafe class OpusOggEncoder : AudioEncoder
{
    private const int GranuleRate = 48000; // Ogg Opus granule positions always count 48 kHz samples.
    private const int FrameMs = 20;
    private const int GranulesPerFrame = GranuleRate / 1000 * FrameMs;

    private readonly OpusEncoderHandle _opus;
    private readonly OggPageWriter _ogg;
    private readonly float[] _frame;
    private readonly byte[] _packet = new byte[OpusNative.MaxPacketBytes];
    private readonly int _packetsPerPage;
    private readonly int _granulesPerSample;
    private int _frameFill;
    private long _framesEncoded;
    private long _audioEnd; // input samples, flush padding included, up to the last written one
    private bool _headersWritten;

    public OpusOggEncoder(int sampleRate, AudioEncoderOptions options) : base(AudioFormat.Opus, sampleRate)
    {
        var bitrateKbps = options.OpusBitrateKbps ?? DefaultBitrateKbps(sampleRate);
        ArgumentOutOfRangeException.ThrowIfLessThan(bitrateKbps, 6, nameof(options.OpusBitrateKbps));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bitrateKbps, 510, nameof(options.OpusBitrateKbps));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.OpusComplexity, 0, nameof(options.OpusComplexity));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.OpusComplexity, 10, nameof(options.OpusComplexity));
        if (options.OggPageDurationMs is < FrameMs or > 1000 || options.OggPageDurationMs % FrameMs != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options.OggPageDurationMs), options.OggPageDurationMs,
                $"The Ogg page duration must be a multiple of {FrameMs} ms between {FrameMs} and 1000.");
        }

        _packetsPerPage = options.OggPageDurationMs / FrameMs;
        _granulesPerSample = GranuleRate / sampleRate;
        _frame = new float[sampleRate / 1000 * FrameMs];
        _ogg = new OggPageWriter(unchecked((uint)(options.OggSerialNumber ?? Random.Shared.Next(int.MinValue, int.MaxValue))));

        int error;
        try
        {
            _opus = OpusNative.EncoderCreate(sampleRate, 1, OpusNative.ApplicationAudio, out error);
        }
        catch (DllNotFoundException e)
        {
            throw AudioEncoderException.LibraryMissing(OpusNative.Library, "libopus0", e);
        }
        try
        {
            if (error != OpusNative.Ok || _opus.IsInvalid)
            {
                throw new AudioEncoderException($"opus_encoder_create failed: {OpusNative.ErrorText(error)}.");
            }
            Ctl(OpusNative.SetBitrateRequest, bitrateKbps * 1000, "OPUS_SET_BITRATE");
            Ctl(OpusNative.SetComplexityRequest, options.OpusComplexity, "OPUS_SET_COMPLEXITY");
            Ctl(OpusNative.SetSignalRequest, OpusNative.SignalVoice, "OPUS_SET_SIGNAL");
            error = OpusNative.EncoderCtl(_opus, OpusNative.GetLookaheadRequest, out int lookahead);
            if (error != OpusNative.Ok) throw new AudioEncoderException($"OPUS_GET_LOOKAHEAD failed: {OpusNative.ErrorText(error)}.");
            Lookahead = lookahead;
            PreSkip = lookahead * _granulesPerSample;
        }
        catch
        {
            _opus.Dispose();
            throw;
        }
    }

    /// <summary>Input samples the encoder delays its output by (OPUS_GET_LOOKAHEAD).</summary>
    internal int Lookahead { get; }

    /// <summary>48 kHz samples a decoder drops from the start (OpusHead's pre-skip).</summary>
    internal int PreSkip { get; }

    /// <summary>A bitrate that gives clear speech at each rate without wasting bytes.</summary>
    internal static int DefaultBitrateKbps(int sampleRate) => sampleRate switch
    {
        <= 8000 => 16,
        <= 12000 => 20,
        <= 16000 => 24,
        <= 24000 => 32,
        _ => 48,
    };

    /// <summary>Reads back an integer encoder setting (an OPUS_GET_* request).</summary>
    internal int GetSetting(int request)
    {
        var error = OpusNative.EncoderCtl(_opus, request, out int value);
        if (error != OpusNative.Ok) throw new AudioEncoderException($"opus_encoder_ctl({request}) failed: {OpusNative.ErrorText(error)}.");
        return value;
    }

    private protected override void WriteCore(ReadOnlySpan<float> samples, IBufferWriter<byte> output)
    {
        WriteHeadersOnce(output);
        if (samples.IsEmpty) return; // after a flush, the padding must not count as written audio
        while (!samples.IsEmpty)
        {
            var take = Math.Min(samples.Length, _frame.Length - _frameFill);
            SampleClamp.Copy(samples[..take], _frame.AsSpan(_frameFill));
            _frameFill += take;
            samples = samples[take..];
            if (_frameFill == _frame.Length)
            {
                _frameFill = 0;
                EncodeFrame(output);
            }
        }
        _audioEnd = _framesEncoded * _frame.Length + _frameFill;
    }

    private protected override int FlushCore(IBufferWriter<byte> output)
    {
        WriteHeadersOnce(output);
        var frames = FramesHoldingAllAudio();
        var padding = 0;
        if (_framesEncoded < frames)
        {
            padding = (int)(frames * _frame.Length - _audioEnd);
            EncodePaddedFrames(frames, finalGranule: null, output);
        }
        _ogg.Flush(output);
        return padding;
    }

    private protected override void CompleteCore(IBufferWriter<byte> output)
    {
        WriteHeadersOnce(output);
        // Feed silence until the decoder, after dropping the pre-skip, has produced every written sample; the final
        // granule position then cuts the stream back to exactly that length. The end-of-stream page needs a packet even
        // right after a flush; it may not go below the previous page's granule, so that packet is then trimmed whole.
        var frames = Math.Max(FramesHoldingAllAudio(), _framesEncoded + 1);
        var finalGranule = Math.Max(PreSkip + _audioEnd * _granulesPerSample, _ogg.WrittenGranulePosition);
        EncodePaddedFrames(frames, finalGranule, output);
        _ogg.Flush(output, endOfStream: true);
    }

    private protected override void Dispose(bool disposing)
    {
        if (disposing) _opus.Dispose();
    }

    // Frames needed for the decoder to output every written sample despite the encoder's lookahead.
    private long FramesHoldingAllAudio() => _audioEnd == 0 ? 0 : (Lookahead + _audioEnd + _frame.Length - 1) / _frame.Length;

    // Completes the partial frame with silence and encodes silent frames until `frames` are done; the last one may
    // carry the final granule position.
    private void EncodePaddedFrames(long frames, long? finalGranule, IBufferWriter<byte> output)
    {
        _frame.AsSpan(_frameFill).Clear();
        while (_framesEncoded < frames)
        {
            EncodeFrame(output, _framesEncoded == frames - 1 ? finalGranule : null);
            Array.Clear(_frame);
        }
        _frameFill = 0;
    }

    private void EncodeFrame(IBufferWriter<byte> output, long? granuleOverride = null)
    {
        int bytes;
        fixed (float* pcm = _frame)
        fixed (byte* packet = _packet)
        {
            bytes = OpusNative.EncodeFloat(_opus, pcm, _frame.Length, packet, _packet.Length);
        }
        if (bytes < 0) throw new AudioEncoderException($"opus_encode_float failed: {OpusNative.ErrorText(bytes)}.");
        _framesEncoded++;
        _ogg.AddPacket(_packet.AsSpan(0, bytes), granuleOverride ?? _framesEncoded * GranulesPerFrame, output);
        if (granuleOverride is null && _ogg.PendingPackets >= _packetsPerPage) _ogg.Flush(output);
    }

    private void WriteHeadersOnce(IBufferWriter<byte> output)
    {
        if (_headersWritten) return;
        _headersWritten = true;

        // RFC 7845 §5.1: the identification header, alone on the first (BOS) page.
        Span<byte> head = stackalloc byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1; // version
        head[9] = 1; // channels
        BinaryPrimitives.WriteUInt16LittleEndian(head[10..], (ushort)PreSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(head[12..], (uint)SampleRate);
        BinaryPrimitives.WriteInt16LittleEndian(head[16..], 0); // output gain
        head[18] = 0; // channel mapping family 0: mono/stereo, no mapping table
        _ogg.AddPacket(head, 0, output);
        _ogg.Flush(output);

        // RFC 7845 §5.2: the comment header, ending its own page; the vendor is the libopus version.
        var vendor = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(OpusNative.GetVersionString());
        var tags = new byte[8 + 4 + vendor.Length + 4];
        "OpusTags"u8.CopyTo(tags);
        BinaryPrimitives.WriteUInt32LittleEndian(tags.AsSpan(8), (uint)vendor.Length);
        vendor.CopyTo(tags.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(tags.AsSpan(12 + vendor.Length), 0); // no user comments
        _ogg.AddPacket(tags, 0, output);
        _ogg.Flush(output);
    }

    private void Ctl(int request, int value, string name)
    {
        var error = OpusNative.EncoderCtl(_opus, request, value);
        if (error != OpusNative.Ok) throw new AudioEncoderException($"{name} failed: {OpusNative.ErrorText(error)}.");
    }
}
