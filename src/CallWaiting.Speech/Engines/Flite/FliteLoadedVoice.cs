namespace CallWaiting.Speech.Engines.Flite;

/// <summary>A registered flite voice: its catalog entry, its native object and the defaults read from it at load.</summary>
/// <param name="Voice">Catalog entry.</param>
/// <param name="Native">The <c>cst_voice*</c>; owned by the voice library, which caches it for the life of the process.</param>
/// <param name="DefaultDurationStretch">The voice's own duration_stretch (kal ships 1.1), scaled by 1/rate on each call.</param>
internal sealed unsafe class FliteLoadedVoice(EngineVoice Voice, FliteNativeVoice* Native, float DefaultDurationStretch)
{
    public EngineVoice Voice { get; } = Voice;

    public FliteNativeVoice* Native { get; } = Native;

    public float DefaultDurationStretch { get; } = DefaultDurationStretch;
}
