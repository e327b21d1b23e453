using System.Collections.Concurrent;
using System.Diagnostics;
using CallWaiting.Server.Redis;
using CallWaiting.Server.Revocation;
using CallWaiting.Server.Tests.Infrastructure;
using StackExchange.Redis;

namespace CallWaiting.Server.Tests.Revocation;

public sealed class RedisKeyRevocationBusTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan DeliveryBound = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Subscribers_on_other_connections_receive_a_change_within_two_seconds()
    {
        await using var publisherConnection = await redis.ConnectAsync();
        await using var firstConnection = await redis.ConnectAsync();
        await using var secondConnection = await redis.ConnectAsync();
        await using var publisher = await RedisKeyRevocationBus.StartAsync(publisherConnection);
        await using var first = await RedisKeyRevocationBus.StartAsync(firstConnection);
        await using var second = await RedisKeyRevocationBus.StartAsync(secondConnection);
        var id = Guid.NewGuid();
        var firstGot = Expect(first, id);
        var secondGot = Expect(second, id);
        var publisherSeen = new ConcurrentQueue<Guid>();
        publisher.KeyChanged += publisherSeen.Enqueue;

        await publisher.PublishAsync(id, "revoked");

        Assert.Contains(id, publisherSeen);
        await firstGot.WaitAsync(DeliveryBound);
        await secondGot.WaitAsync(DeliveryBound);
    }

    [Fact]
    public async Task Malformed_messages_are_ignored_and_a_throwing_handler_does_not_stop_the_others()
    {
        await using var connection = await redis.ConnectAsync();
        await using var bus = await RedisKeyRevocationBus.StartAsync(connection);
        var seen = new ConcurrentQueue<Guid>();
        bus.KeyChanged += _ => throw new InvalidOperationException("broken cache");
        bus.KeyChanged += seen.Enqueue;
        var id = Guid.NewGuid();
        var delivered = Expect(bus, id);

        var raw = redis.Admin.GetSubscriber();
        await raw.PublishAsync(RedisKeyRevocationBus.Channel, "garbage");
        await raw.PublishAsync(RedisKeyRevocationBus.Channel, "00000000-0000-0000-0000-00000000000x:revoked");
        await raw.PublishAsync(RedisKeyRevocationBus.Channel, $"{id:D}:suspended");

        await delivered.WaitAsync(DeliveryBound);
        Assert.Equal([id], seen);
    }

    [Fact]
    public async Task Generation_moves_when_redis_restarts_and_delivery_resumes_afterwards()
    {
        using var server = RedisServerProcess.StartOnFreePort();
        await using var subscriberConnection = await RedisConnection.ConnectAsync(new RedisConnectionOptions(server.Endpoint));
        await using var publisherConnection = await RedisConnection.ConnectAsync(new RedisConnectionOptions(server.Endpoint));
        await using var subscriber = await RedisKeyRevocationBus.StartAsync(subscriberConnection);
        await using var publisher = await RedisKeyRevocationBus.StartAsync(publisherConnection);
        var generation = subscriber.Generation;

        server.Kill();
        await Assert.ThrowsAnyAsync<RedisException>(() => publisher.PublishAsync(Guid.NewGuid(), "revoked"));
        server.Start();

        var elapsed = Stopwatch.StartNew();
        while (!(subscriberConnection.IsConnected && publisherConnection.IsConnected && subscriber.Generation > generation))
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(20), "the connections did not come back");
            await Task.Delay(50);
        }

        // The multiplexer re-subscribes on its own shortly after reconnecting; publish until a message gets through.
        var id = Guid.NewGuid();
        var delivered = Expect(subscriber, id);
        while (!delivered.IsCompleted)
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(20), "no delivery after the restart");
            await publisher.PublishAsync(id, "revoked");
            await Task.WhenAny(delivered, Task.Delay(200));
        }
    }

    [Fact]
    public async Task A_bus_started_while_redis_is_down_subscribes_once_redis_arrives()
    {
        using var server = RedisServerProcess.StartOnFreePort();
        server.Kill();
        await using var subscriberConnection = await RedisConnection.ConnectAsync(new RedisConnectionOptions(server.Endpoint));
        await using var subscriber = await RedisKeyRevocationBus.StartAsync(subscriberConnection);
        var received = new ConcurrentQueue<Guid>();
        subscriber.KeyChanged += received.Enqueue;

        server.Start();
        await using var publisherConnection = await RedisConnection.ConnectAsync(new RedisConnectionOptions(server.Endpoint));
        var raw = publisherConnection.Multiplexer.GetSubscriber();
        var id = Guid.NewGuid();
        var elapsed = Stopwatch.StartNew();
        while (received.IsEmpty)
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(20), "the late subscription never delivered");
            await raw.PublishAsync(RedisKeyRevocationBus.Channel, KeyChangeMessage.Format(id, "revoked"));
            await Task.Delay(200);
        }

        // Exactly one subscription exists: one more message arrives once, not twice.
        var last = Guid.NewGuid();
        var lastDelivered = Expect(subscriber, last);
        await raw.PublishAsync(RedisKeyRevocationBus.Channel, KeyChangeMessage.Format(last, "suspended"));
        await lastDelivered.WaitAsync(DeliveryBound);
        await Task.Delay(200);
        Assert.Equal(1, received.Count(g => g == last));
        var subscribers = (RedisResult[])(await publisherConnection.Database.ExecuteAsync("PUBSUB", "NUMSUB", "cw:keys:changed"))!;
        Assert.Equal(1, (long)subscribers[1]);
    }

    private static Task Expect(IKeyRevocationBus bus, Guid id)
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bus.KeyChanged += changed =>
        {
            if (changed == id)
            {
                received.TrySetResult();
            }
        };
        return received.Task;
    }
}
