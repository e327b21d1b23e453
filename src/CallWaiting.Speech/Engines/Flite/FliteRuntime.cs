using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Engines.Flite;

/// <summary>Process-wide flite state: the library is initialized and its built-in voices registered once per process.</summary>
/// <remarks>
/// flite's voices are process-global singletons (register_cmu_us_* returns the cached voice) whose feature lists every
/// call mutates, so all flite work in the process is serialized on <see cref="Gate"/>.
/// </remarks>
internal static unsafe class FliteRuntime
{
    /// <summary>Blocks (about 100 ms) in which flite hands audio to the streaming callback.</summary>
    private const int BlocksPerSecond = 10;

    /// <summary>Serializes every flite call in the process.</summary>
    public static readonly Lock Gate = new();

    private static FliteLoadedVoice[]? s_voices;

    private static readonly VoiceSpec[] Catalog =
    [
        new("slt", () => FliteNative.RegisterSlt(null), "Flite SLT (US English, female)", "en-US", VoiceGender.Female, VoiceQuality.Natural),
        new("rms", () => FliteNative.RegisterRms(null), "Flite RMS (US English, male)", "en-US", VoiceGender.Male, VoiceQuality.Natural),
        new("awb", () => FliteNative.RegisterAwb(null), "Flite AWB (Scottish English, male)", "en-GB", VoiceGender.Male, VoiceQuality.Natural),
        new("kal16", () => FliteNative.RegisterKal16(null), "Flite KAL16 (US English, male, diphone)", "en-US", VoiceGender.Male, VoiceQuality.Standard),
        new("kal", () => FliteNative.RegisterKal(null), "Flite KAL (US English, male, 8 kHz diphone)", "en-US", VoiceGender.Male, VoiceQuality.Robotic),
    ];

    /// <summary>Every voice that registered on this machine, loading them on first use.</summary>
    /// <exception cref="EngineException">libflite itself cannot be loaded, or no voice library can.</exception>
    public static FliteLoadedVoice[] Voices
    {
        get
        {
            lock (Gate) return s_voices ??= Load();
        }
    }

    private static FliteLoadedVoice[] Load()
    {
        try
        {
            FliteNative.Init();
            RegisterEnglish();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new EngineException(EngineErrorKind.EngineFailure, "libflite1 is not installed or not usable.", e);
        }

        var voices = new List<FliteLoadedVoice>(Catalog.Length);
        foreach (var spec in Catalog)
        {
            FliteNativeVoice* native;
            try
            {
                native = spec.Register();
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                continue; // this voice's library is not installed: offer the others
            }
            if (native is null) continue;
            voices.Add(Prepare(spec, native));
        }
        if (voices.Count == 0) throw new EngineException(EngineErrorKind.EngineFailure, "No flite voice library could be loaded.");
        return [.. voices];
    }

    /// <summary>Registers US English under flite's names for it, as flite's own main does, so voices that name their language resolve.</summary>
    /// <remarks>The library handles are never freed: the registered functions must stay loaded for the life of the process.</remarks>
    private static void RegisterEnglish()
    {
        var langInit = NativeLibrary.GetExport(NativeLibrary.Load(FliteNative.UsEnglish), "usenglish_init");
        var lexInit = NativeLibrary.GetExport(NativeLibrary.Load(FliteNative.CmuLex), "cmu_lex_init");
        FliteNative.AddLang(FliteNames.LangEng, langInit, lexInit);
        FliteNative.AddLang(FliteNames.LangUsEnglish, langInit, lexInit);
    }

    private static FliteLoadedVoice Prepare(VoiceSpec spec, FliteNativeVoice* native)
    {
        var features = native->Features;
        var sampleRate = FliteNative.GetParamInt(features, FliteNames.SampleRate, 0);
        if (sampleRate <= 0)
            throw new EngineException(EngineErrorKind.EngineFailure, $"flite voice {spec.Name} declares no sample rate.");
        var stretch = FliteNative.GetParamFloat(features, FliteNames.DurationStretch, 1f);

        // The voice's feature list takes ownership of the streaming info (freed with the voice, i.e. never).
        var streaming = FliteNative.NewAudioStreamingInfo();
        streaming->MinBufferSize = sampleRate / BlocksPerSecond;
        streaming->Callback = &FliteSynthesisCall.OnAudio;
        FliteNative.FeatSet(features, FliteNames.StreamingInfo, FliteNative.AudioStreamingInfoVal(streaming));

        var voice = new EngineVoice("flite-" + spec.Name, FliteSynthesizer.EngineName, spec.Name, spec.DisplayName,
            spec.Language, spec.Gender, sampleRate, spec.Quality);
        return new FliteLoadedVoice(voice, native, stretch);
    }

    private delegate FliteNativeVoice* RegisterFunction();

    private sealed record VoiceSpec(
        string Name, RegisterFunction Register, string DisplayName, string Language, VoiceGender Gender, VoiceQuality Quality);
}
