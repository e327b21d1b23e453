using Microsoft.Win32.SafeHandles;

namespace CallWaiting.Speech.Engines.Flite;

/// <summary>Owns a <c>cst_utterance</c> returned by flite_synth_text and deletes it.</summary>
internal sealed class FliteUtteranceHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Used by the interop marshaller.</summary>
    public FliteUtteranceHandle() : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        FliteNative.DeleteUtterance(handle);
        return true;
    }
}
