namespace CallWaiting.Server.ApiKeys;

/// <summary>Conversion between <see cref="ApiKeyStatus"/> and its stored text.</summary>
public static class ApiKeyStatusText
{
    /// <summary>The stored text: "active", "revoked" or "suspended".</summary>
    public static string ToText(this ApiKeyStatus status) => status switch
    {
        ApiKeyStatus.Active => "active",
        ApiKeyStatus.Revoked => "revoked",
        ApiKeyStatus.Suspended => "suspended",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown API key status."),
    };

    /// <summary>Parses stored text; anything unknown counts as suspended, so an unexpected value never grants access.</summary>
    public static ApiKeyStatus Parse(string? text) => text switch
    {
        "active" => ApiKeyStatus.Active,
        "revoked" => ApiKeyStatus.Revoked,
        _ => ApiKeyStatus.Suspended,
    };
}
