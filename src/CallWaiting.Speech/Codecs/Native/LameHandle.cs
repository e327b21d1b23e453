using Microsoft.Win32.SafeHandles;

namespace CallWaiting.Speech.Codecs.Native;

/// <summary>Owns a lame_global_flags context; releasing it calls lame_close.</summary>
internal sealed class LameHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public LameHandle() : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => LameNative.Close(handle) == 0;
}
