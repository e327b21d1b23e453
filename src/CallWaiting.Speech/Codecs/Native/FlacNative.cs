using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Codecs.Native;

/// <summary>The subset of libFLAC's stream encoder API (FLAC/stream_encoder.h, FLAC 1.4) the FLAC encoder uses.</summary>
/// <remarks>FLAC__bool is a C int; FLAC__StreamEncoderInitStatus and FLAC__StreamEncoderState are C enums (int).</remarks>
internal static unsafe partial class FlacNative
{
    public const string Library = "libFLAC.so.12";

    public const int InitStatusOk = 0;
    public const int WriteStatusOk = 0;
    public const int WriteStatusFatalError = 1;

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_new")]
    public static partial FlacEncoderHandle EncoderNew();

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_delete")]
    public static partial void EncoderDelete(nint encoder);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_set_streamable_subset")]
    public static partial int SetStreamableSubset(FlacEncoderHandle encoder, int value);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_set_channels")]
    public static partial int SetChannels(FlacEncoderHandle encoder, uint value);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_set_bits_per_sample")]
    public static partial int SetBitsPerSample(FlacEncoderHandle encoder, uint value);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_set_sample_rate")]
    public static partial int SetSampleRate(FlacEncoderHandle encoder, uint value);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_set_compression_level")]
    public static partial int SetCompressionLevel(FlacEncoderHandle encoder, uint value);

    /// <param name="encoder">The encoder, configured but not yet initialized.</param>
    /// <param name="writeCallback">FLAC__StreamEncoderWriteCallback.</param>
    /// <param name="seekCallback">Null: the output cannot seek, so the STREAMINFO written first keeps "unknown" totals and MD5.</param>
    /// <param name="tellCallback">Null: with no seek callback the encoder never asks for the position.</param>
    /// <param name="metadataCallback">FLAC__StreamEncoderMetadataCallback: receives the final STREAMINFO at finish.</param>
    /// <param name="clientData">Passed back to every callback: the handle of the managed output sink.</param>
    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_init_stream")]
    public static partial int InitStream(
        FlacEncoderHandle encoder,
        delegate* unmanaged[Cdecl]<nint, byte*, nuint, uint, uint, nint, int> writeCallback,
        nint seekCallback,
        nint tellCallback,
        delegate* unmanaged[Cdecl]<nint, FlacStreamInfoMetadata*, nint, void> metadataCallback,
        nint clientData);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_process_interleaved")]
    public static partial int ProcessInterleaved(FlacEncoderHandle encoder, int* buffer, uint samples);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_finish")]
    public static partial int Finish(FlacEncoderHandle encoder);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_get_resolved_state_string")]
    public static partial byte* GetResolvedStateString(FlacEncoderHandle encoder);

    /// <summary>libFLAC's description of the encoder's current state, for error messages.</summary>
    public static string StateText(FlacEncoderHandle encoder) =>
        Marshal.PtrToStringUTF8((nint)GetResolvedStateString(encoder)) ?? "unknown state";

    /// <summary>libFLAC's name for an init status, from its exported FLAC__StreamEncoderInitStatusString table.</summary>
    public static string InitStatusText(int status)
    {
        if (status >= 0
            && NativeLibrary.TryLoad(Library, out var library)
            && NativeLibrary.TryGetExport(library, "FLAC__StreamEncoderInitStatusString", out var table))
        {
            // The library stays loaded by the encoder that just failed, so releasing this reference is safe.
            var text = Marshal.PtrToStringUTF8((nint)((byte**)table)[status]);
            NativeLibrary.Free(library);
            if (text is not null) return text;
        }
        return $"init status {status}";
    }
}
