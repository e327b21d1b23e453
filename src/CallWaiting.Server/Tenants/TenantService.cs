using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Tenants;

/// <summary>Tenant administration behind <c>callwaiting tenants create|list|suspend|activate</c>: validation and clear errors.</summary>
public sealed class TenantService
{
    /// <summary>Longest accepted display name.</summary>
    public const int MaxNameLength = 200;

    private readonly TenantRepository _tenants;
    private readonly TimeProvider _time;
    private readonly ApiKeyVerificationCache? _cache;

    /// <summary>
    /// Creates the service over the tenant repository; with a cache (in the server), a status change also drops the
    /// tenant's keys from it at once, rather than at the key-change feed's next poll.
    /// </summary>
    public TenantService(TenantRepository tenants, TimeProvider? time = null, ApiKeyVerificationCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        _tenants = tenants;
        _time = time ?? TimeProvider.System;
        _cache = cache;
    }

    /// <summary>Creates a tenant; <see cref="ArgumentException"/> for bad input, <see cref="InvalidOperationException"/> when the slug is taken.</summary>
    public async Task<Tenant> CreateAsync(string name, string slug, string plan = Tenant.DefaultPlan, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
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

    /// <summary>
    /// Changes the tenant with this id: its name and plan when given (validated as on creation), and its status
    /// ("active" or "suspended", as <see cref="SuspendAsync"/> and <see cref="ActivateAsync"/>). Returns the tenant;
    /// <see cref="KeyNotFoundException"/> for an unknown id, <see cref="ArgumentException"/> for bad input.
    /// </summary>
    public async Task<Tenant> UpdateAsync(Guid id, string? name, string? plan, string? status, CancellationToken cancellationToken = default)
    {
        if (name is not null) ValidateName(name);
        if (plan is not null) TenantSlug.Validate(plan, nameof(plan));
        if (status is not (null or Tenant.ActiveStatus or Tenant.SuspendedStatus))
        {
            throw new ArgumentException($"A tenant's status is '{Tenant.ActiveStatus}' or '{Tenant.SuspendedStatus}'.", nameof(status));
        }

        var tenant = await _tenants.GetByIdAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new KeyNotFoundException($"No tenant with id {id}.");
        if (status is not null) GuardDefault(tenant.Slug, status);
        if (name is not null || plan is not null)
        {
            await _tenants.UpdateAsync(id, name?.Trim() ?? tenant.Name, plan ?? tenant.Plan, cancellationToken).ConfigureAwait(false);
        }

        if (status is not null) await SetStatusAsync(tenant.Slug, status, cancellationToken).ConfigureAwait(false);

        return await _tenants.GetByIdAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new KeyNotFoundException($"No tenant with id {id}.");
    }

    /// <summary>All tenants, oldest first.</summary>
    public Task<IReadOnlyList<Tenant>> ListAsync(CancellationToken cancellationToken = default) =>
        _tenants.ListAsync(cancellationToken);

    private static void ValidateName(string name)
    {
        // Control characters (NUL above all, which PostgreSQL cannot store) have no place in a name shown to people.
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            throw new ArgumentException($"A tenant name must be 1-{MaxNameLength} characters, none of them control characters.", nameof(name));
        }
    }

    // The default tenant holds the operator's keys: suspending it would lock the operator out of every admin tool but the CLI.
    private static void GuardDefault(string slug, string status)
    {
        if (slug == Tenant.DefaultSlug && status == Tenant.SuspendedStatus)
        {
            throw new InvalidOperationException("The default tenant holds the operator's keys and cannot be suspended.");
        }
    }

    private async Task<Tenant> SetStatusAsync(string slug, string status, CancellationToken cancellationToken)
    {
        TenantSlug.Validate(slug, nameof(slug));
        GuardDefault(slug, status);
        var tenant = await _tenants.SetStatusAsync(slug, status, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"No tenant with slug '{slug}'.");
        _cache?.InvalidateTenant(tenant.Id);
        return tenant;
    }
}
