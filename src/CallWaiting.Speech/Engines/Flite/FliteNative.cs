using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Engines.Flite;

/// <summary>Source-generated bindings to libflite 2.2 and its compiled-in US English voices.</summary>
/// <remarks>
/// Opaque flite objects (features, utterances, relations, items, vals) travel as <see cref="nint"/>; the structs
/// this code reads are mirrored in <see cref="FliteNativeVoice"/>, <see cref="FliteNativeWave"/> and
/// <see cref="FliteNativeStreamingInfo"/>. Feature names are passed as long-lived UTF-8 pointers from
/// <see cref="FliteNames"/>, because flite keeps the name pointer of a feature it adds instead of copying it.
/// </remarks>
internal static unsafe partial class FliteNative
{
    internal const string Core = "libflite.so.1";
    internal const string UsEnglish = "libflite_usenglish.so.1";
    internal const string CmuLex = "libflite_cmulex.so.1";
    private const string Libc = "libc.so.6";

    /// <summary>cst_audio_streaming_info callback result: keep going.</summary>
    internal const int StreamContinue = 0;

    /// <summary>cst_audio_streaming_info callback result: abandon the rest of the waveform.</summary>
    internal const int StreamStop = -1;

    /// <summary>Seeds libc's rand(), which clustergen's vocoder draws its excitation noise from.</summary>
    [LibraryImport(Libc, EntryPoint = "srand")]
    internal static partial void SeedRandom(uint seed);

    [LibraryImport(Core, EntryPoint = "flite_init")]
    internal static partial int Init();

    [LibraryImport(Core, EntryPoint = "flite_add_lang")]
    internal static partial int AddLang(byte* langName, nint langInit, nint lexInit);

    [LibraryImport(Core, EntryPoint = "flite_synth_text", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial FliteUtteranceHandle SynthText(string text, FliteNativeVoice* voice);

    [LibraryImport(Core, EntryPoint = "delete_utterance")]
    internal static partial void DeleteUtterance(nint utterance);

    [LibraryImport(Core, EntryPoint = "flite_get_param_int")]
    internal static partial int GetParamInt(nint features, byte* name, int fallback);

    [LibraryImport(Core, EntryPoint = "flite_get_param_float")]
    internal static partial float GetParamFloat(nint features, byte* name, float fallback);

    [LibraryImport(Core, EntryPoint = "flite_get_param_string")]
    internal static partial byte* GetParamString(nint features, byte* name, byte* fallback);

    [LibraryImport(Core, EntryPoint = "flite_feat_set_float")]
    internal static partial void FeatSetFloat(nint features, byte* name, float value);

    [LibraryImport(Core, EntryPoint = "flite_feat_set")]
    internal static partial void FeatSet(nint features, byte* name, nint value);

    [LibraryImport(Core, EntryPoint = "new_audio_streaming_info")]
    internal static partial FliteNativeStreamingInfo* NewAudioStreamingInfo();

    [LibraryImport(Core, EntryPoint = "audio_streaming_info_val")]
    internal static partial nint AudioStreamingInfoVal(FliteNativeStreamingInfo* info);

    [LibraryImport(Core, EntryPoint = "utt_relation")]
    internal static partial nint UttRelation(nint utterance, byte* name);

    [LibraryImport(Core, EntryPoint = "relation_head")]
    internal static partial nint RelationHead(nint relation);

    [LibraryImport(Core, EntryPoint = "item_next")]
    internal static partial nint ItemNext(nint item);

    [LibraryImport(Core, EntryPoint = "item_feats")]
    internal static partial nint ItemFeats(nint item);

    [LibraryImport(Core, EntryPoint = "flite_ffeature_float")]
    internal static partial float FfeatureFloat(nint item, byte* path);

    [LibraryImport("libflite_cmu_us_slt.so.1", EntryPoint = "register_cmu_us_slt")]
    internal static partial FliteNativeVoice* RegisterSlt(byte* voxdir);

    [LibraryImport("libflite_cmu_us_rms.so.1", EntryPoint = "register_cmu_us_rms")]
    internal static partial FliteNativeVoice* RegisterRms(byte* voxdir);

    [LibraryImport("libflite_cmu_us_awb.so.1", EntryPoint = "register_cmu_us_awb")]
    internal static partial FliteNativeVoice* RegisterAwb(byte* voxdir);

    [LibraryImport("libflite_cmu_us_kal16.so.1", EntryPoint = "register_cmu_us_kal16")]
    internal static partial FliteNativeVoice* RegisterKal16(byte* voxdir);

    [LibraryImport("libflite_cmu_us_kal.so.1", EntryPoint = "register_cmu_us_kal")]
    internal static partial FliteNativeVoice* RegisterKal(byte* voxdir);
}
