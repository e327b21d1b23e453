using CallWaiting.Server.Metering;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CallWaiting.Server.Tests.Metering;

public sealed class MeteringHostingTests
{
    [Fact]
    public async Task The_host_starts_the_meter_and_its_shutdown_flushes_it()
    {
        await using var store = await StorageTestStore.CreateSqliteAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(store.Db);
        builder.Services.AddSingleton(new MeteringMetrics(Prometheus.Metrics.NewCustomRegistry()));
        builder.Services.AddMetering(MeteringTestMeter.FastOptions with { FlushInterval = TimeSpan.FromHours(1), MaxBatchSize = 100_000 });
        builder.Services.AddMetering();
        using var host = builder.Build();
        var keys = MeteringTestEvents.Keys(2);
        var events = Enumerable.Range(0, 300).Select(n => MeteringTestEvents.Make(keys, 5, n)).ToList();

        await host.StartAsync();
        var meter = host.Services.GetRequiredService<IUsageMeter>();
        events.ForEach(meter.Record);
        await host.StopAsync();

        Assert.Same(meter, Assert.Single(host.Services.GetServices<IHostedService>().OfType<UsageMeter>()));
        Assert.NotNull(host.Services.GetRequiredService<UsageQuery>());
        Assert.Equal(MeteringTestMeter.Expected(events), await MeteringTestMeter.ReadCountersAsync(store.Db));
    }
}
