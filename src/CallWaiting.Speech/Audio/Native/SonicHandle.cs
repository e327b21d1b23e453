using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Audio.Native;

/// <summary>Owns a sonicStream and frees it with sonicDestroyStream.</summary>
internal sealed class SonicHandle : SafeHandle
{
    public SonicHandle() : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        SonicNative.DestroyStream(handle);
        return true;
    }
}
