using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Engines.Espeak;

/// <summary>Process-wide espeak-ng state: initialized once per process, then every call is serialized on <see cref="Gate"/>.</summary>
/// <remarks>
/// espeak-ng keeps everything in process globals and crashes or corrupts audio when two threads use it, and it cannot
/// be re-initialized reliably, so it is initialized once and never terminated. espeak_Initialize switches the C
/// library's LC_CTYPE to a UTF-8 locale; that is left in place because espeak's character classification needs it
/// (.NET itself does not read the C locale).
/// </remarks>
internal static unsafe class EspeakRuntime
{
    /// <summary>Length of the blocks espeak hands to the callback.</summary>
    private const int BufferMilliseconds = 100;

    /// <summary>Serializes every espeak-ng call in the process.</summary>
    public static readonly Lock Gate = new();

    private static Loaded? s_loaded;

    /// <summary>The output sample rate and every voice, initializing espeak-ng on first use.</summary>
    /// <exception cref="EngineException">libespeak-ng or its data is missing.</exception>
    public static Loaded Instance
    {
        get
        {
            lock (Gate) return s_loaded ??= Load();
        }
    }

    private static Loaded Load()
    {
        int sampleRate;
        string dataPath;
        try
        {
            sampleRate = EspeakNative.Initialize(EspeakNative.AudioOutputSynchronous, BufferMilliseconds, null,
                EspeakNative.InitializeDontExit);
            byte* path = null;
            EspeakNative.Info(&path);
            dataPath = Marshal.PtrToStringUTF8((nint)path) ?? "";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new EngineException(EngineErrorKind.EngineFailure, "libespeak-ng1 is not installed or not usable.", e);
        }
        if (sampleRate <= 0)
            throw new EngineException(EngineErrorKind.EngineFailure, "espeak-ng failed to initialize (is espeak-ng-data installed?).");
        EspeakNative.SetSynthCallback(&EspeakSynthesisCall.OnAudio);
        var voices = EspeakVoiceCatalog.Build(sampleRate, dataPath);
        if (voices.Length == 0) throw new EngineException(EngineErrorKind.EngineFailure, "espeak-ng lists no voices.");
        return new Loaded(sampleRate, voices);
    }

    /// <summary>What initialization found.</summary>
    /// <param name="SampleRate">Output sample rate (22050 Hz for espeak-ng's own voices).</param>
    /// <param name="Voices">Every language voice plus the English variants.</param>
    public sealed record Loaded(int SampleRate, EngineVoice[] Voices);
}
