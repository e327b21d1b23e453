using CallWaiting.Server.Configuration;

namespace CallWaiting.Server.ApiKeys;

/// <summary>The key an empty database starts with (section <c>Bootstrap</c>; env CALLWAITING_BOOTSTRAP_KEY).</summary>
public sealed class BootstrapOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Bootstrap";

    /// <summary>The contract's environment variable for <see cref="Key"/>.</summary>
    public const string EnvironmentVariable = KeyService.BootstrapKeyVariable;

    /// <summary>On an empty database, create this key for the default tenant; unset: create one and print it once.</summary>
    public string? Key { get; set; }

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (!string.IsNullOrEmpty(Key) && !ApiKeyFormat.IsWellFormed(Key))
        {
            yield return $"Bootstrap:Key ({EnvironmentVariable}) must be '{ApiKeyFormat.LivePrefix}' followed by {ApiKeyFormat.SecretChars} base64url characters.";
        }
    }
}
