using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Codecs.Native;

/// <summary>The subset of libopus's encoder API (opus/opus.h, opus_defines.h) the Ogg Opus encoder uses.</summary>
internal static unsafe partial class OpusNative
{
    public const string Library = "libopus.so.0";

    public const int Ok = 0;
    public const int ApplicationAudio = 2049;
    public const int SignalVoice = 3001;
    public const int SetBitrateRequest = 4002;
    public const int GetBitrateRequest = 4003;
    public const int SetComplexityRequest = 4010;
    public const int GetComplexityRequest = 4011;
    public const int SetSignalRequest = 4024;
    public const int GetLookaheadRequest = 4027;

    /// <summary>Largest packet libopus can produce for one 20 ms mono frame is 1275 bytes; opus.h suggests 4000 as a safe bound.</summary>
    public const int MaxPacketBytes = 4000;

    [LibraryImport(Library, EntryPoint = "opus_encoder_create")]
    public static partial OpusEncoderHandle EncoderCreate(int sampleRate, int channels, int application, out int error);

    [LibraryImport(Library, EntryPoint = "opus_encoder_destroy")]
    public static partial void EncoderDestroy(nint encoder);

    [LibraryImport(Library, EntryPoint = "opus_encode_float")]
    public static partial int EncodeFloat(OpusEncoderHandle encoder, float* pcm, int frameSize, byte* data, int maxDataBytes);

    // opus_encoder_ctl is variadic (int request, ...). On Linux x86-64 (SysV) and AArch64 (AAPCS64), variadic
    // integer and pointer arguments travel in the same registers as fixed ones, so a fixed-arity import with the
    // one argument each request takes is ABI-compatible. (x86-64 callers of variadic functions also set %al to the
    // number of vector registers used; the callee only uses it to skip spilling XMM registers, so any value is
    // safe.) This would not hold on Apple AArch64, where variadic arguments go on the stack.
    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    public static partial int EncoderCtl(OpusEncoderHandle encoder, int request, int value);

    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    public static partial int EncoderCtl(OpusEncoderHandle encoder, int request, out int value);

    [LibraryImport(Library, EntryPoint = "opus_strerror")]
    public static partial byte* StrError(int error);

    [LibraryImport(Library, EntryPoint = "opus_get_version_string")]
    public static partial byte* GetVersionString();

    /// <summary>libopus's text for an error code.</summary>
    public static string ErrorText(int error) => Marshal.PtrToStringUTF8((nint)StrError(error)) ?? $"error {error}";
}
