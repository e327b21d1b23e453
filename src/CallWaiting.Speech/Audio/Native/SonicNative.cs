using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Audio.Native;

/// <summary>Source-generated bindings to libsonic 0.2 (sonic.h): pitch-preserving speed change for speech.</summary>
internal static unsafe partial class SonicNative
{
    private const string Library = "libsonic.so.0";

    /// <summary>Returns an invalid handle only when out of memory.</summary>
    [LibraryImport(Library, EntryPoint = "sonicCreateStream")]
    internal static partial SonicHandle CreateStream(int sampleRate, int numChannels);

    [LibraryImport(Library, EntryPoint = "sonicDestroyStream")]
    internal static partial void DestroyStream(nint stream);

    [LibraryImport(Library, EntryPoint = "sonicSetSpeed")]
    internal static partial void SetSpeed(SonicHandle stream, float speed);

    /// <summary>Samples must lie in [-1, 1]: sonic converts them to 16-bit without clamping. Returns 0 when out of memory.</summary>
    [LibraryImport(Library, EntryPoint = "sonicWriteFloatToStream")]
    internal static partial int WriteFloatToStream(SonicHandle stream, float* samples, int numSamples);

    [LibraryImport(Library, EntryPoint = "sonicReadFloatFromStream")]
    internal static partial int ReadFloatFromStream(SonicHandle stream, float* samples, int maxSamples);

    /// <summary>Processes whatever input is buffered; returns 0 when out of memory.</summary>
    [LibraryImport(Library, EntryPoint = "sonicFlushStream")]
    internal static partial int FlushStream(SonicHandle stream);

    [LibraryImport(Library, EntryPoint = "sonicSamplesAvailable")]
    internal static partial int SamplesAvailable(SonicHandle stream);
}
