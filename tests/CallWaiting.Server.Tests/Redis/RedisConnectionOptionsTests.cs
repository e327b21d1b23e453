using CallWaiting.Server.Hosting;
using CallWaiting.Server.Redis;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace CallWaiting.Server.Tests.Redis;

public sealed class RedisConnectionOptionsTests
{
    [Fact]
    public void Applies_fail_fast_defaults()
    {
        var options = new RedisConnectionOptions("redis.internal:6380,password=secret").ToConfigurationOptions();
        Assert.False(options.AbortOnConnectFail);
        Assert.Same(BacklogPolicy.FailFast, options.BacklogPolicy);
        Assert.Equal(1000, options.ConnectTimeout);
        Assert.Equal(1000, options.SyncTimeout);
        Assert.Equal(1000, options.AsyncTimeout);
        Assert.Equal("secret", options.Password);
        var endpoint = Assert.IsType<System.Net.DnsEndPoint>(options.EndPoints.Single());
        Assert.Equal(("redis.internal", 6380), (endpoint.Host, endpoint.Port));
    }

    [Fact]
    public void Keeps_timeouts_the_configuration_string_sets_but_never_aborts_on_connect_failure()
    {
        var options = new RedisConnectionOptions("localhost:6379, connectTimeout=3000,syncTimeout=700,abortConnect=true").ToConfigurationOptions();
        Assert.Equal(3000, options.ConnectTimeout);
        Assert.Equal(700, options.SyncTimeout);
        Assert.Equal(1000, options.AsyncTimeout);
        Assert.False(options.AbortOnConnectFail);
    }

    [Fact]
    public void Reads_the_environment_variable()
    {
        Assert.False(Bind(_ => null).IsConfigured);
        Assert.False(Bind(_ => "  ").IsConfigured);
        var options = Bind(name => name == "CALLWAITING_REDIS" ? "cache:6379" : null);
        Assert.True(options.IsConfigured);
        Assert.Equal("cache:6379", options.Configuration);
    }

    [Fact]
    public void Rejects_a_configuration_without_endpoint()
    {
        Assert.Throws<ArgumentException>(() => new RedisConnectionOptions("password=secret").ToConfigurationOptions());
        var problem = Assert.Single(new RedisConnectionOptions("password=secret").Problems());
        Assert.Contains("CALLWAITING_REDIS", problem);
        Assert.DoesNotContain("secret", problem);
    }

    private static RedisConnectionOptions Bind(Func<string, string?> getVariable) =>
        new ConfigurationBuilder().Add(new EnvironmentAliases(getVariable)).Build()
            .GetSection(RedisConnectionOptions.Section).Get<RedisConnectionOptions>() ?? new RedisConnectionOptions();
}
