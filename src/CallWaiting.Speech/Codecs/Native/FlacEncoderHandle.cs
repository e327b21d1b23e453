using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CallWaiting.Speech.Codecs.Native;

/// <summary>
/// Owns a FLAC__StreamEncoder and the GC handle its callbacks use to find their managed sink; releasing it
/// deletes the encoder first (which may still call back) and only then frees the GC handle.
/// </summary>
internal sealed class FlacEncoderHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private GCHandle<FlacOutputSink> _sink;

    public FlacEncoderHandle() : base(ownsHandle: true)
    {
    }

    /// <summary>Allocates the GC handle passed as client_data and returns it as a pointer.</summary>
    public nint AttachSink(FlacOutputSink sink)
    {
        if (_sink.IsAllocated) throw new InvalidOperationException("A sink is already attached.");
        _sink = new GCHandle<FlacOutputSink>(sink);
        return GCHandle<FlacOutputSink>.ToIntPtr(_sink);
    }

    protected override bool ReleaseHandle()
    {
        FlacNative.EncoderDelete(handle);
        _sink.Dispose();
        return true;
    }
}
