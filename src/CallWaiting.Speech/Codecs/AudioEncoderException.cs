namespace CallWaiting.Speech.Codecs;

/// <summary>A native codec library is missing or failed while encoding.</summary>
public sealed class AudioEncoderException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public AudioEncoderException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public AudioEncoderException(string message, Exception innerException) : base(message, innerException) { }

    internal static AudioEncoderException LibraryMissing(string library, string package, DllNotFoundException inner) =>
        new($"The native library {library} could not be loaded; install the Debian package {package} (scripts/ensure-deps.sh does).", inner);
}
