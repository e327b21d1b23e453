using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Engines.Espeak;

/// <summary>Source-generated bindings to libespeak-ng's speak_lib.h API (espeak-ng 1.51).</summary>
/// <remarks>espeak-ng keeps all of its state in process globals: every call must hold <see cref="EspeakRuntime.Gate"/>.</remarks>
internal static unsafe partial class EspeakNative
{
    private const string Library = "libespeak-ng.so.1";

    /// <summary>espeak_AUDIO_OUTPUT: hand audio to the callback and return when synthesis has finished.</summary>
    internal const int AudioOutputSynchronous = 2;

    /// <summary>espeak_Initialize option: report a missing data directory as an error instead of calling exit().</summary>
    internal const int InitializeDontExit = 0x8000;

    internal const int PositionCharacter = 1;
    internal const uint CharsUtf8 = 1;
    internal const uint PhonemeInput = 0x100;
    internal const int PhonemesIpa = 0x02;

    internal const int ErrorOk = 0;

    internal const int EventWord = 1;

    internal const int ParameterRate = 1;
    internal const int ParameterVolume = 2;
    internal const int ParameterPitch = 3;
    internal const int ParameterRange = 4;
    internal const int ParameterPunctuation = 5;
    internal const int ParameterCapitals = 6;
    internal const int ParameterWordGap = 7;

    /// <summary>Callback result: 0 continues, 1 aborts the synthesis.</summary>
    internal const int CallbackContinue = 0, CallbackAbort = 1;

    [LibraryImport(Library, EntryPoint = "espeak_Initialize")]
    internal static partial int Initialize(int output, int bufferMilliseconds, byte* path, int options);

    [LibraryImport(Library, EntryPoint = "espeak_Info")]
    internal static partial byte* Info(byte** dataPath);

    [LibraryImport(Library, EntryPoint = "espeak_SetSynthCallback")]
    internal static partial void SetSynthCallback(delegate* unmanaged[Cdecl]<short*, int, EspeakNativeEvent*, int> callback);

    [LibraryImport(Library, EntryPoint = "espeak_ListVoices")]
    internal static partial EspeakNativeVoice** ListVoices(EspeakNativeVoice* voiceSpec);

    [LibraryImport(Library, EntryPoint = "espeak_SetVoiceByName", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SetVoiceByName(string name);

    [LibraryImport(Library, EntryPoint = "espeak_SetParameter")]
    internal static partial int SetParameter(int parameter, int value, int relative);

    [LibraryImport(Library, EntryPoint = "espeak_Synth")]
    internal static partial int Synth(byte* text, nuint size, uint position, int positionType, uint endPosition, uint flags,
        uint* uniqueIdentifier, void* userData);

    [LibraryImport(Library, EntryPoint = "espeak_TextToPhonemes")]
    internal static partial byte* TextToPhonemes(byte** text, int textMode, int phonemeMode);
}
