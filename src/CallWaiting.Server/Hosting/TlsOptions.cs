using CallWaiting.Server.Configuration;

namespace CallWaiting.Server.Hosting;

/// <summary>HTTPS certificate files (section <c>Tls</c>; env CALLWAITING_TLS_CERT and CALLWAITING_TLS_KEY).</summary>
public sealed class TlsOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Tls";

    /// <summary>Environment variable naming the PEM certificate (chain) file.</summary>
    public const string CertificateVariable = "CALLWAITING_TLS_CERT";

    /// <summary>Environment variable naming the PEM private key file.</summary>
    public const string KeyVariable = "CALLWAITING_TLS_KEY";

    /// <summary>PEM certificate file; with <see cref="KeyPath"/>, https:// URLs use it.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Whether a certificate is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (Enabled && !File.Exists(CertificatePath)) yield return $"Tls:CertificatePath ({CertificateVariable}) names no readable file.";
        if (Enabled && !string.IsNullOrWhiteSpace(KeyPath) && !File.Exists(KeyPath)) yield return $"Tls:KeyPath ({KeyVariable}) names no readable file.";
    }
}
