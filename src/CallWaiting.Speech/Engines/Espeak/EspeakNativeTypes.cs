using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Engines.Espeak;

/// <summary>Mirror of espeak-ng's <c>espeak_EVENT</c> (speak_lib.h), 40 bytes on 64-bit Linux.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct EspeakNativeEvent
{
    /// <summary>espeak_EVENT_TYPE; 0 terminates an event list.</summary>
    public int Type;
    public uint UniqueIdentifier;
    /// <summary>1-based position of the word in the input, in characters (code points).</summary>
    public int TextPosition;
    /// <summary>Word length in characters.</summary>
    public int Length;
    /// <summary>Milliseconds from the start of the synthesis.</summary>
    public int AudioPosition;
    /// <summary>Sample index from the start of the synthesis.</summary>
    public int Sample;
    public nint UserData;
    /// <summary>The union <c>id</c> (number, name pointer or 8-byte phoneme string).</summary>
    public long Id;
}

/// <summary>Mirror of espeak-ng's <c>espeak_VOICE</c> (speak_lib.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct EspeakNativeVoice
{
    public byte* Name;
    /// <summary>Pairs of a priority byte and a NUL-terminated language, ended by an empty language.</summary>
    public byte* Languages;
    public byte* Identifier;
    /// <summary>0 none, 1 male, 2 female.</summary>
    public byte Gender;
    public byte Age;
    public byte Variant;
    public byte Reserved;
    public int Score;
    public nint Spare;
}
