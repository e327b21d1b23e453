using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Audio.Native;

/// <summary>Owns a soxr_t and frees it with soxr_delete.</summary>
internal sealed class SoxrHandle : SafeHandle
{
    public SoxrHandle() : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        SoxrNative.Delete(handle);
        return true;
    }
}
