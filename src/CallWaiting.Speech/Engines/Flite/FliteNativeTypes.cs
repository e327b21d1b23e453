using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Engines.Flite;

/// <summary>Mirror of flite's <c>cst_voice</c> (cst_voice.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FliteNativeVoice
{
    public nint Name;
    public nint Features;
    public nint FFunctions;
    public nint UttInit;
}

/// <summary>Mirror of flite's <c>cst_wave</c> (cst_wave.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FliteNativeWave
{
    public nint Type;
    public int SampleRate;
    public int NumSamples;
    public int NumChannels;
    public short* Samples;
}

/// <summary>Mirror of flite's <c>cst_audio_streaming_info</c> (cst_audio.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FliteNativeStreamingInfo
{
    public int MinBufferSize;
    public delegate* unmanaged[Cdecl]<FliteNativeWave*, int, int, int, FliteNativeStreamingInfo*, int> Callback;
    public nint Utterance;
    public nint Item;
    public nint UserData;
}
