using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Codecs.Native;

/// <summary>Where libFLAC's write callback puts encoded bytes: the output of the call in progress, if any.</summary>
internal sealed unsafe class FlacOutputSink
{
    /// <summary>The writer for the native call in progress; null means "discard" (e.g. libFLAC finishing inside delete).</summary>
    public IBufferWriter<byte>? Output { get; set; }

    /// <summary>The exception the output threw inside the callback, rethrown once libFLAC has returned.</summary>
    public Exception? Error { get; set; }

    /// <summary>The final STREAMINFO block's 34 bytes, as libFLAC reported it at finish; null before.</summary>
    public byte[]? StreamInfo { get; private set; }

    /// <summary>FLAC__StreamEncoderMetadataCallback: keeps the final STREAMINFO (totals, frame sizes, MD5) in its file form.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static void OnMetadata(nint encoder, FlacStreamInfoMetadata* metadata, nint clientData)
    {
        var sink = GCHandle<FlacOutputSink>.FromIntPtr(clientData).Target;
        try
        {
            if (metadata->Type == FlacStreamInfoMetadata.StreamInfoType) sink.StreamInfo = metadata->Serialize();
        }
        catch (Exception e)
        {
            sink.Error = e;
        }
    }

    /// <summary>FLAC__StreamEncoderWriteCallback: copies one chunk of the encoded stream to <see cref="Output"/>.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int OnWrite(nint encoder, byte* buffer, nuint bytes, uint samples, uint currentFrame, nint clientData)
    {
        var sink = GCHandle<FlacOutputSink>.FromIntPtr(clientData).Target;
        try
        {
            if (sink.Output is { } output) output.Write(new ReadOnlySpan<byte>(buffer, checked((int)bytes)));
            return FlacNative.WriteStatusOk;
        }
        catch (Exception e)
        {
            // Exceptions must not unwind through native frames; libFLAC stops on the fatal status instead.
            sink.Error = e;
            return FlacNative.WriteStatusFatalError;
        }
    }
}
