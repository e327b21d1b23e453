using Microsoft.Win32.SafeHandles;

namespace CallWaiting.Speech.Codecs.Native;

/// <summary>Owns an OpusEncoder; releasing it calls opus_encoder_destroy.</summary>
internal sealed class OpusEncoderHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OpusEncoderHandle() : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        OpusNative.EncoderDestroy(handle);
        return true;
    }
}
