using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Audio.Native;

/// <summary>Source-generated bindings to libsoxr 0.1 (soxr.h); struct layouts mirror the LP64 header exactly.</summary>
internal static unsafe partial class SoxrNative
{
    private const string Library = "libsoxr.so.0";

    /// <summary>soxr_datatype_t SOXR_FLOAT32_I: interleaved 32-bit float samples.</summary>
    internal const int Float32Interleaved = 0;

    /// <summary>soxr_io_spec_t: { soxr_datatype_t itype, otype; double scale; void *e; unsigned long flags; }.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct IoSpec
    {
        public int InputType;
        public int OutputType;
        public double Scale;
        public nint Reserved;
        public CULong Flags;
    }

    /// <summary>soxr_quality_spec_t: { double precision, phase_response, passband_end, stopband_begin; void *e; unsigned long flags; }.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct QualitySpec
    {
        public double Precision;
        public double PhaseResponse;
        public double PassbandEnd;
        public double StopbandBegin;
        public nint Reserved;
        public CULong Flags;
    }

    /// <summary>soxr_runtime_spec_t: { unsigned log2_min_dft_size, log2_large_dft_size, coef_size_kbytes, num_threads; void *e; unsigned long flags; }.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct RuntimeSpec
    {
        public uint Log2MinDftSize;
        public uint Log2LargeDftSize;
        public uint CoefSizeKbytes;
        public uint NumThreads;
        public nint Reserved;
        public CULong Flags;
    }

    [LibraryImport(Library, EntryPoint = "soxr_io_spec")]
    internal static partial IoSpec CreateIoSpec(int inputType, int outputType);

    [LibraryImport(Library, EntryPoint = "soxr_quality_spec")]
    internal static partial QualitySpec CreateQualitySpec(CULong recipe, CULong flags);

    [LibraryImport(Library, EntryPoint = "soxr_runtime_spec")]
    internal static partial RuntimeSpec CreateRuntimeSpec(uint numThreads);

    /// <summary>Returns the resampler, or an invalid handle with <paramref name="error"/> set to a static C string.</summary>
    [LibraryImport(Library, EntryPoint = "soxr_create")]
    internal static partial SoxrHandle Create(
        double inputRate, double outputRate, uint channels, nint* error,
        IoSpec* ioSpec, QualitySpec* qualitySpec, RuntimeSpec* runtimeSpec);

    /// <summary>A null <paramref name="input"/> signals end of input (flush). Returns a static C error string or null.</summary>
    [LibraryImport(Library, EntryPoint = "soxr_process")]
    internal static partial nint Process(
        SoxrHandle resampler, float* input, nuint inputLength, nuint* inputDone,
        float* output, nuint outputLength, nuint* outputDone);

    [LibraryImport(Library, EntryPoint = "soxr_delete")]
    internal static partial void Delete(nint resampler);

    /// <summary>soxr errors are static strings owned by the library, so they are copied and never freed.</summary>
    internal static string Describe(nint error) => Marshal.PtrToStringUTF8(error) ?? "unknown soxr error";
}
