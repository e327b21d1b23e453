using CallWaiting.Server.ApiKeys;

namespace CallWaiting.Server.Admin;

/// <summary>Whether an admin caller may filter by a key: the key exists and belongs to a tenant the caller may see.</summary>
public static class AdminKeyVisibility
{
    /// <summary>Throws the 404 of an unknown key unless <paramref name="apiKeyId"/> is absent or names a key the caller may see.</summary>
    public static async Task RequireKeyAsync(this AdminCaller caller, ApiKeyRepository keys, Guid? apiKeyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(keys);
        if (apiKeyId is not { } id) return;
        var key = await keys.GetByIdAsync(id, cancellationToken).ConfigureAwait(false);
        if (key is null || !caller.MaySee(key.TenantId)) throw AdminCaller.NotFound("api_key", id.ToString());
    }
}
