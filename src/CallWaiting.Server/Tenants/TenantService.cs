using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Tenants;

/// <summary>Tenant administration behind <c>callwaiting tenants create|list|suspend|activate</c>: validation and clear errors.</summary>
public sealed class TenantService
{
    /// <summary>Longest accepted display name.</summary>
    public const int MaxNameLength = 200;

    private readonly TenantRepository _tenants;
    private readonly TimeProvider _time;

    /// <summary>Creates the service over the tenant repository.</summary>
    public TenantService(TenantRepository tenants, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        _tenants = tenants;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Creates a tenant; <see cref="ArgumentException"/> for bad input, <see cref="InvalidOperationException"/> when the slug is taken.</summary>
    public async Task<Tenant> CreateAsync(string name, string slug, string plan = Tenant.DefaultPlan, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            throw new ArgumentException($"A tenant name must be 1-{MaxNameLength} characters.", nameof(name));
        }

        TenantSlug.Validate(slug, nameof(slug));
        TenantSlug.Validate(plan, nameof(plan));
        var tenant = new Tenant(Guid.NewGuid(), slug, name.Trim(), plan, Tenant.ActiveStatus, StorageTime.UtcNow(_time));
        if (!await _tenants.TryCreateAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"A tenant with slug '{slug}' already exists.");
        }

        return tenant;
    }

    /// <summary>Suspends a tenant, which stops all of its keys (403) until it is activated; <see cref="KeyNotFoundException"/> for an unknown slug.</summary>
    public Task<Tenant> SuspendAsync(string slug, CancellationToken cancellationToken = default) =>
        SetStatusAsync(slug, Tenant.SuspendedStatus, cancellationToken);

    /// <summary>Returns a suspended tenant to good standing; <see cref="KeyNotFoundException"/> for an unknown slug.</summary>
    public Task<Tenant> ActivateAsync(string slug, CancellationToken cancellationToken = default) =>
        SetStatusAsync(slug, Tenant.ActiveStatus, cancellationToken);

    /// <summary>All tenants, oldest first.</summary>
    public Task<IReadOnlyList<Tenant>> ListAsync(CancellationToken cancellationToken = default) =>
        _tenants.ListAsync(cancellationToken);

    private async Task<Tenant> SetStatusAsync(string slug, string status, CancellationToken cancellationToken)
    {
        TenantSlug.Validate(slug, nameof(slug));
        return await _tenants.SetStatusAsync(slug, status, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"No tenant with slug '{slug}'.");
    }
}
