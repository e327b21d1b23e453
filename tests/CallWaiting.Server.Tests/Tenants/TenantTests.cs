using CallWaiting.Server.Tenants;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Storage;

namespace CallWaiting.Server.Tests.Tenants;

public sealed class TenantTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Create_get_and_list(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var clock = new TestClock(new DateTimeOffset(2025, 2, 3, 4, 5, 6, TimeSpan.Zero));
        var repository = new TenantRepository(store.Db, clock);
        var service = new TenantService(repository, clock);

        var acme = await service.CreateAsync("Acme Corp", "acme");
        clock.Advance(TimeSpan.FromSeconds(1));
        var beta = await service.CreateAsync("Beta", "beta-2", plan: "pro");

        Assert.Equal(acme, await repository.GetBySlugAsync("acme"));
        Assert.Equal(beta, await repository.GetByIdAsync(beta.Id));
        Assert.Equal("pro", beta.Plan);
        Assert.Equal("free", acme.Plan);
        Assert.Equal("active", acme.Status);
        Assert.Equal(clock.GetUtcNow() - TimeSpan.FromSeconds(1), acme.CreatedAt);
        Assert.Null(await repository.GetBySlugAsync("nobody"));
        Assert.Null(await repository.GetByIdAsync(Guid.NewGuid()));
        Assert.Equal([acme, beta], await service.ListAsync());
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Duplicate_slug_is_refused_and_leaves_the_first_tenant(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var service = new TenantService(new TenantRepository(store.Db));
        var first = await service.CreateAsync("Acme", "acme");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => service.CreateAsync("Other", "acme"));
        Assert.Contains("acme", error.Message);
        Assert.Equal([first], await service.ListAsync());
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Ensure_default_is_idempotent_under_concurrency(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var repository = new TenantRepository(store.Db);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => repository.EnsureDefaultAsync())));

        Assert.Single(results.Select(t => t.Id).Distinct());
        Assert.Equal("default", results[0].Slug);
        Assert.Single(await repository.ListAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Acme")]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("ac me")]
    [InlineData("acme_corp")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public async Task InvalidSlugsAreRejectedBeforeTouchingTheDatabase(string slug)
    {
        await using var store = await StorageTestStore.CreateSqliteAsync();
        var service = new TenantService(new TenantRepository(store.Db));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => service.CreateAsync("Name", slug));
        Assert.Equal("slug", error.ParamName);
        Assert.Empty(await service.ListAsync());
    }

    [Fact]
    public async Task Blank_name_and_bad_plan_are_rejected()
    {
        await using var store = await StorageTestStore.CreateSqliteAsync();
        var service = new TenantService(new TenantRepository(store.Db));

        Assert.Equal("name", (await Assert.ThrowsAsync<ArgumentException>(() => service.CreateAsync("  ", "acme"))).ParamName);
        Assert.Equal("plan", (await Assert.ThrowsAsync<ArgumentException>(() => service.CreateAsync("Acme", "acme", "Pro Plan"))).ParamName);
        Assert.True(TenantSlug.IsValid("a"));
        Assert.True(TenantSlug.IsValid("acme-corp-2"));
    }
}
