using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Codecs.Native;

/// <summary>The subset of libmp3lame's API (lame/lame.h, LAME 3.100) the MP3 encoder uses.</summary>
internal static unsafe partial class LameNative
{
    public const string Library = "libmp3lame.so.0";

    /// <summary>MPEG_mode.MONO.</summary>
    public const int ModeMono = 3;

    /// <summary>vbr_mode.vbr_off, i.e. constant bitrate.</summary>
    public const int VbrOff = 0;

    /// <summary>lame_get_bitrate's table row for each MPEG version.</summary>
    public const int Mpeg2 = 0, Mpeg1 = 1, Mpeg25 = 2;

    [LibraryImport(Library, EntryPoint = "lame_init")]
    public static partial LameHandle Init();

    [LibraryImport(Library, EntryPoint = "lame_close")]
    public static partial int Close(nint gfp);

    [LibraryImport(Library, EntryPoint = "lame_set_in_samplerate")]
    public static partial int SetInSampleRate(LameHandle gfp, int value);

    [LibraryImport(Library, EntryPoint = "lame_set_out_samplerate")]
    public static partial int SetOutSampleRate(LameHandle gfp, int value);

    [LibraryImport(Library, EntryPoint = "lame_set_num_channels")]
    public static partial int SetNumChannels(LameHandle gfp, int value);

    [LibraryImport(Library, EntryPoint = "lame_set_mode")]
    public static partial int SetMode(LameHandle gfp, int mode);

    [LibraryImport(Library, EntryPoint = "lame_set_VBR")]
    public static partial int SetVbr(LameHandle gfp, int mode);

    [LibraryImport(Library, EntryPoint = "lame_set_brate")]
    public static partial int SetBitrate(LameHandle gfp, int kbps);

    [LibraryImport(Library, EntryPoint = "lame_set_quality")]
    public static partial int SetQuality(LameHandle gfp, int quality);

    [LibraryImport(Library, EntryPoint = "lame_set_bWriteVbrTag")]
    public static partial int SetWriteVbrTag(LameHandle gfp, int value);

    [LibraryImport(Library, EntryPoint = "lame_set_errorf")]
    public static partial int SetErrorReport(LameHandle gfp, delegate* unmanaged[Cdecl]<nint, nint, void> report);

    [LibraryImport(Library, EntryPoint = "lame_set_debugf")]
    public static partial int SetDebugReport(LameHandle gfp, delegate* unmanaged[Cdecl]<nint, nint, void> report);

    [LibraryImport(Library, EntryPoint = "lame_set_msgf")]
    public static partial int SetMessageReport(LameHandle gfp, delegate* unmanaged[Cdecl]<nint, nint, void> report);

    [LibraryImport(Library, EntryPoint = "lame_init_params")]
    public static partial int InitParams(LameHandle gfp);

    [LibraryImport(Library, EntryPoint = "lame_get_encoder_delay")]
    public static partial int GetEncoderDelay(LameHandle gfp);

    [LibraryImport(Library, EntryPoint = "lame_get_framesize")]
    public static partial int GetFrameSize(LameHandle gfp);

    [LibraryImport(Library, EntryPoint = "lame_get_bitrate")]
    public static partial int GetBitrate(int mpegVersion, int tableIndex);

    [LibraryImport(Library, EntryPoint = "lame_encode_buffer_ieee_float")]
    public static partial int EncodeBufferIeeeFloat(LameHandle gfp, float* left, float* right, int samples, byte* mp3Buffer, int mp3BufferSize);

    [LibraryImport(Library, EntryPoint = "lame_encode_flush")]
    public static partial int EncodeFlush(LameHandle gfp, byte* mp3Buffer, int mp3BufferSize);

    [LibraryImport(Library, EntryPoint = "lame_encode_flush_nogap")]
    public static partial int EncodeFlushNogap(LameHandle gfp, byte* mp3Buffer, int mp3BufferSize);

    [LibraryImport(Library, EntryPoint = "lame_get_frameNum")]
    public static partial int GetFrameNum(LameHandle gfp);

    /// <summary>A lame_report_function that drops LAME's messages: failures surface through return codes instead of stderr.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static void IgnoreReport(nint format, nint args)
    {
    }
}
