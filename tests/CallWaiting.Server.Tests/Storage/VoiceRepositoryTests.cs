using System.Text.Json;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tenants;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Storage;

public sealed class VoiceRepositoryTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateTimeOffset Now = new(2025, 5, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Private_voices_are_visible_only_to_their_tenant(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var (tenantA, tenantB) = await CreateTwoTenantsAsync(store);
        var voices = new VoiceRepository(store.Db);
        await voices.UpsertPublicAsync([PublicVoice("emily-en-us", "Emily"), PublicVoice("james-en-us", "James")]);
        var privateVoice = PublicVoice("acme-ceo", "CEO") with { Id = Guid.NewGuid(), OwnerTenant = tenantA };
        Assert.True(await voices.TryCreateAsync(privateVoice));

        Assert.Equal(["acme-ceo", "emily-en-us", "james-en-us"], (await voices.ListVisibleAsync(tenantA)).Select(v => v.Slug));
        Assert.Equal(["emily-en-us", "james-en-us"], (await voices.ListVisibleAsync(tenantB)).Select(v => v.Slug));

        Assert.Equal(privateVoice.Id, (await voices.GetVisibleAsync("acme-ceo", tenantA))?.Id);
        Assert.Equal("acme-ceo", (await voices.GetVisibleAsync(privateVoice.Id.ToString(), tenantA))?.Slug);
        Assert.Null(await voices.GetVisibleAsync("acme-ceo", tenantB));
        Assert.Null(await voices.GetVisibleAsync(privateVoice.Id.ToString(), tenantB));
        Assert.Null(await voices.GetVisibleAsync("nobody", tenantA));

        var emily = await voices.GetVisibleAsync("emily-en-us", tenantB);
        Assert.NotNull(emily);
        Assert.True(emily.IsPublic);
        Assert.Equal(emily, await voices.GetVisibleAsync(emily.Id.ToString(), tenantA));
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Upsert_refreshes_seeded_voices_but_keeps_ids_and_never_takes_over_private_slugs(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var (tenantA, _) = await CreateTwoTenantsAsync(store);
        var voices = new VoiceRepository(store.Db);
        var original = PublicVoice("sophia-en-gb", "Sophia");
        await voices.UpsertPublicAsync([original]);
        Assert.True(await voices.TryCreateAsync(PublicVoice("mine", "Mine") with { Id = Guid.NewGuid(), OwnerTenant = tenantA }));

        await voices.UpsertPublicAsync([
            original with { Id = Guid.NewGuid(), DisplayName = "Sophia (UK)", ParamsJson = """{"speed": 1.1, "name": "it's"}""" },
            PublicVoice("mine", "Hijack"),
        ]);

        var sophia = await voices.GetVisibleAsync("sophia-en-gb", tenantA);
        Assert.NotNull(sophia);
        Assert.Equal(original.Id, sophia.Id);
        Assert.Equal("Sophia (UK)", sophia.DisplayName);
        using var json = JsonDocument.Parse(sophia.ParamsJson);
        Assert.Equal(1.1, json.RootElement.GetProperty("speed").GetDouble());
        Assert.Equal("it's", json.RootElement.GetProperty("name").GetString());

        var mine = await voices.GetVisibleAsync("mine", tenantA);
        Assert.Equal("Mine", mine?.DisplayName);
        Assert.Equal(tenantA, mine?.OwnerTenant);
        Assert.False(await voices.TryCreateAsync(PublicVoice("mine", "Again")));
        await Assert.ThrowsAsync<ArgumentException>(() => voices.UpsertPublicAsync([mine!]));
    }

    private static StoredVoice PublicVoice(string slug, string name) =>
        new(Guid.NewGuid(), slug, null, name, $"{name} voice", "en-US", "female", "espeak-ng", "en-us", null, """{"pitch": 50}""", Now);

    private static async Task<(Guid A, Guid B)> CreateTwoTenantsAsync(StorageTestStore store)
    {
        var tenants = new TenantService(new TenantRepository(store.Db));
        var a = await tenants.CreateAsync("Tenant A", "tenant-a");
        var b = await tenants.CreateAsync("Tenant B", "tenant-b");
        return (a.Id, b.Id);
    }
}
