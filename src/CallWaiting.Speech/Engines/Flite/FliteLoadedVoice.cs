namespace CallWaiting.Speech.Engines.Flite;

/// <summary>A registered flite voice: its catalog entry, its native object and the defaults read from it at load.</summary>
internal sealed unsafe class FliteLoadedVoice(EngineVoice voice, FliteNativeVoice* native, float defaultDurationStretch)
{
    /// <summary>Catalog entry.</summary>
    public EngineVoice Voice { get; } = voice;

    /// <summary>The <c>cst_voice*</c>; owned by the voice library, which caches it for the life of the process.</summary>
    public FliteNativeVoice* Native { get; } = native;

    /// <summary>The voice's own duration_stretch (kal ships 1.1), divided by the rate on each call.</summary>
    public float DefaultDurationStretch { get; } = defaultDurationStretch;
}
