using System.Buffers;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Codecs.Native;

namespace CallWaiting.Speech.Codecs;

/// <summary>
/// 16-bit mono native FLAC through libFLAC, in the streamable subset. The output is not seekable, so the
/// STREAMINFO block keeps "unknown" total samples and MD5, as is standard for streamed FLAC; libFLAC emits a
/// frame each time a block (4096 samples at the default level) fills. Once complete, <see cref="AudioEncoder.CompletedHeader"/>
/// holds the final STREAMINFO for a writer that can seek back to the start of a file.
/// </summary>
internal sealed unsafe class FlacEncoder : AudioEncoder
{
    private const int BlockSamples = 2048;
    private const int StreamInfoOffset = 8;

    private readonly FlacEncoderHandle _flac;
    private readonly FlacOutputSink _sink = new();
    private ArrayBufferWriter<byte>? _header;
    private byte[] _streamStart = [];

    public FlacEncoder(int sampleRate, AudioEncoderOptions options) : base(AudioFormat.Flac, sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.FlacCompressionLevel, 0, nameof(options.FlacCompressionLevel));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.FlacCompressionLevel, 8, nameof(options.FlacCompressionLevel));
        try
        {
            _flac = FlacNative.EncoderNew();
        }
        catch (DllNotFoundException e)
        {
            throw AudioEncoderException.LibraryMissing(FlacNative.Library, "libflac12", e);
        }
        if (_flac.IsInvalid) throw new AudioEncoderException("FLAC__stream_encoder_new failed (out of memory).");
        try
        {
            var clientData = _flac.AttachSink(_sink);
            Check(FlacNative.SetStreamableSubset(_flac, 1), "set_streamable_subset");
            Check(FlacNative.SetChannels(_flac, 1), "set_channels");
            Check(FlacNative.SetBitsPerSample(_flac, 16), "set_bits_per_sample");
            Check(FlacNative.SetSampleRate(_flac, (uint)sampleRate), "set_sample_rate");
            Check(FlacNative.SetCompressionLevel(_flac, (uint)options.FlacCompressionLevel), "set_compression_level");
            // Initializing here surfaces bad settings from the constructor; the stream header it writes
            // (signature, STREAMINFO, vendor comment) is held until the first output is available.
            _header = new ArrayBufferWriter<byte>(128);
            _sink.Output = _header;
            var status = FlacNative.InitStream(_flac, &FlacOutputSink.OnWrite, 0, 0, &FlacOutputSink.OnMetadata, clientData);
            _sink.Output = null;
            // "fLaC" and the STREAMINFO block header, which the final STREAMINFO keeps.
            _streamStart = _header.WrittenSpan[..StreamInfoOffset].ToArray();
            ThrowIfCallbackFailed();
            if (status != FlacNative.InitStatusOk)
            {
                throw new AudioEncoderException($"FLAC__stream_encoder_init_stream failed: {FlacNative.InitStatusText(status)}.");
            }
        }
        catch
        {
            _flac.Dispose();
            throw;
        }
    }

    // libFLAC's stream encoder writes whole blocks only; it has no call that ends a block early.
    private protected override bool FlushSupported => false;

    private protected override void WriteCore(ReadOnlySpan<float> samples, IBufferWriter<byte> output)
    {
        WriteHeaderOnce(output);
        Span<short> pcm = stackalloc short[BlockSamples];
        Span<int> wide = stackalloc int[BlockSamples];
        _sink.Output = output;
        try
        {
            while (!samples.IsEmpty)
            {
                var count = Math.Min(samples.Length, BlockSamples);
                Pcm.FloatToPcm16(samples[..count], pcm);
                for (var i = 0; i < count; i++) wide[i] = pcm[i];
                int ok;
                fixed (int* buffer = wide)
                {
                    ok = FlacNative.ProcessInterleaved(_flac, buffer, (uint)count);
                }
                ThrowIfCallbackFailed();
                if (ok == 0) throw new AudioEncoderException($"FLAC__stream_encoder_process_interleaved failed: {FlacNative.StateText(_flac)}.");
                samples = samples[count..];
            }
        }
        finally
        {
            _sink.Output = null;
        }
    }

    private protected override void CompleteCore(IBufferWriter<byte> output)
    {
        WriteHeaderOnce(output);
        _sink.Output = output;
        int ok;
        try
        {
            ok = FlacNative.Finish(_flac);
        }
        finally
        {
            _sink.Output = null;
        }
        ThrowIfCallbackFailed();
        if (ok == 0) throw new AudioEncoderException($"FLAC__stream_encoder_finish failed: {FlacNative.StateText(_flac)}.");
    }

    private protected override ReadOnlyMemory<byte> CompletedHeaderCore =>
        _sink.StreamInfo is { } streamInfo ? (byte[])[.. _streamStart, .. streamInfo] : ReadOnlyMemory<byte>.Empty;

    private protected override void Dispose(bool disposing)
    {
        if (disposing) _flac.Dispose();
    }

    private void WriteHeaderOnce(IBufferWriter<byte> output)
    {
        if (_header is null) return;
        output.Write(_header.WrittenSpan);
        _header = null;
    }

    private void ThrowIfCallbackFailed()
    {
        if (_sink.Error is not { } error) return;
        _sink.Error = null;
        throw new AudioEncoderException("Writing FLAC output failed.", error);
    }

    private static void Check(int ok, string setter)
    {
        if (ok == 0) throw new AudioEncoderException($"FLAC__stream_encoder_{setter} was refused.");
    }
}
