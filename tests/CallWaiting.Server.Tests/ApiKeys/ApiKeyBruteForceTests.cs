using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.RateLimiting;
using Xunit.Abstractions;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.ApiKeys;

/// <summary>
/// Guessing keys against real servers: a refusal takes as long whether or not the prefix exists; a prefix's failure
/// budget, the memory of failed keys and the verification gate refuse without scrypt; keys already known are served
/// throughout. The fixture's own server has every budget raised; <see cref="BruteForceServers.Guarded"/> has a prefix
/// budget of 3 a minute and one verification slot with a one-place line.
/// </summary>
public sealed class ApiKeyBruteForceTests(ApiKeyBruteForceTests.BruteForceServers fixture, ITestOutputHelper output)
    : IClassFixture<ApiKeyBruteForceTests.BruteForceServers>
{
    private const int Tries = 200;
    private const string Scrypt = "api_key_scrypt_total";

    [Fact]
    public async Task A_wrong_secret_for_an_existing_prefix_is_refused_as_slowly_as_an_unknown_prefix()
    {
        var key = await fixture.Store.CreateKeyAsync();
        var client = fixture.Server.Client;
        string WrongSecret() => key.Key[..ApiKeyFormat.LookupPrefixLength] + ApiKeyFormat.Generate()[ApiKeyFormat.LookupPrefixLength..];

        // Warm-up (database connections, the decoy hash, JIT), then the two kinds interleaved, alternating which goes
        // first. Every key is new, so none is answered from the memory of failed keys.
        for (var i = 0; i < 5; i++)
        {
            await TimeRefusalAsync(client, WrongSecret());
            await TimeRefusalAsync(client, ApiKeyFormat.Generate());
        }

        var scrypt = await MetricAsync(client, Scrypt);
        var known = new double[Tries];
        var unknown = new double[Tries];
        for (var i = 0; i < Tries; i++)
        {
            if (i % 2 == 0) known[i] = await TimeRefusalAsync(client, WrongSecret());
            unknown[i] = await TimeRefusalAsync(client, ApiKeyFormat.Generate());
            if (i % 2 == 1) known[i] = await TimeRefusalAsync(client, WrongSecret());
        }

        Assert.Equal(scrypt + 2 * Tries, await MetricAsync(client, Scrypt));
        var (knownMedian, unknownMedian) = (Median(known), Median(unknown));
        var ratio = knownMedian / unknownMedian;
        output.WriteLine($"median refusal: existing prefix {knownMedian:F2} ms, unknown prefix {unknownMedian:F2} ms, ratio {ratio:F3}");
        Assert.True(ratio is > 1 / 1.2 and < 1.2,
            $"median refusal {knownMedian:F2} ms for a wrong secret of an existing prefix, {unknownMedian:F2} ms for an unknown prefix (ratio {ratio:F2})");
    }

    [Fact]
    public async Task The_same_wrong_key_again_is_refused_from_memory_without_scrypt()
    {
        var client = fixture.Server.Client;
        var wrong = ApiKeyFormat.Generate();
        var scrypt = await MetricAsync(client, Scrypt);
        var remembered = await MetricAsync(client, Result("rejected_cached"));

        for (var i = 0; i < 3; i++)
        {
            using var refused = await GetAsync(client, "v1/auth/verify", wrong);
            Assert.Equal("Invalid or missing API key", await AssertErrorAsync(refused, HttpStatusCode.Unauthorized));
        }

        Assert.Equal(scrypt + 1, await MetricAsync(client, Scrypt));
        Assert.Equal(remembered + 2, await MetricAsync(client, Result("rejected_cached")));

        // A different guess is a new verification.
        using (var other = await GetAsync(client, "v1/auth/verify", ApiKeyFormat.Generate())) await AssertErrorAsync(other, HttpStatusCode.Unauthorized);
        Assert.Equal(scrypt + 2, await MetricAsync(client, Scrypt));
    }

    [Fact]
    public async Task A_prefix_that_spent_its_failure_budget_is_refused_without_scrypt_whether_or_not_it_exists()
    {
        var server = fixture.Guarded;
        var existing = await fixture.Store.CreateKeyAsync();
        var throttled = await MetricAsync(server.Client, Result("throttled"));
        await RedisWindowHeadroom.EnsureMinuteHeadroomAsync(fixture.RedisFixture.AdminServer, TimeSpan.FromSeconds(20));

        var refusals = new List<(string Detail, string Limit)>();
        foreach (var prefix in new[] { existing.Key[..ApiKeyFormat.LookupPrefixLength], ApiKeyFormat.Generate()[..ApiKeyFormat.LookupPrefixLength] })
        {
            for (var i = 0; i < 3; i++)
            {
                using var wrong = await GetAsync(server.Client, "v1/auth/verify", prefix + ApiKeyFormat.Generate()[ApiKeyFormat.LookupPrefixLength..]);
                await AssertErrorAsync(wrong, HttpStatusCode.Unauthorized);
            }

            var scrypt = await MetricAsync(server.Client, Scrypt);
            using var refused = await GetAsync(server.Client, "v1/auth/verify", prefix + ApiKeyFormat.Generate()[ApiKeyFormat.LookupPrefixLength..]);
            var detail = await AssertErrorAsync(refused, HttpStatusCode.TooManyRequests);
            Assert.True(int.Parse(Header(refused, "Retry-After")) >= 1);
            Assert.Equal(scrypt, await MetricAsync(server.Client, Scrypt));
            refusals.Add((detail, Header(refused, "X-RateLimit-Limit")));
        }

        // The same answer for both, so the budget tells nothing about which prefixes exist.
        Assert.Equal(("Too many failed authentications for this key: at most 3 per minute.", "3"), refusals[0]);
        Assert.Equal(refusals[0], refusals[1]);

        // The trade-off: the key's own holder is refused too while the budget is spent, unless this replica found the
        // key valid within the last hour (next test).
        using var holder = await GetAsync(server.Client, "v1/auth/verify", existing.Key);
        await AssertErrorAsync(holder, HttpStatusCode.TooManyRequests);
        Assert.Equal(throttled + 3, await MetricAsync(server.Client, Result("throttled")));
    }

    [Fact]
    public async Task A_prefix_budget_is_counted_in_redis_so_failures_on_one_replica_spend_it_on_all()
    {
        var prefix = ApiKeyFormat.Generate()[..ApiKeyFormat.LookupPrefixLength];
        string Guess() => prefix + ApiKeyFormat.Generate()[ApiKeyFormat.LookupPrefixLength..];
        await RedisWindowHeadroom.EnsureMinuteHeadroomAsync(fixture.RedisFixture.AdminServer, TimeSpan.FromSeconds(20));

        // Three failures on the other replica (whose own budget is far away) count towards the guarded one's 3 a minute.
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await GetAsync(fixture.Server.Client, "v1/auth/verify", Guess());
            await AssertErrorAsync(wrong, HttpStatusCode.Unauthorized);
        }

        var scrypt = await MetricAsync(fixture.Guarded.Client, Scrypt);
        using var refused = await GetAsync(fixture.Guarded.Client, "v1/auth/verify", Guess());
        await AssertErrorAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(scrypt, await MetricAsync(fixture.Guarded.Client, Scrypt));
    }

    [Fact]
    public async Task A_key_found_valid_before_is_served_while_an_attack_spends_its_prefixs_budget()
    {
        var server = fixture.Guarded;
        var key = await fixture.Store.CreateKeyAsync();
        await RedisWindowHeadroom.EnsureMinuteHeadroomAsync(fixture.RedisFixture.AdminServer, TimeSpan.FromSeconds(40));
        using (var first = await GetAsync(server.Client, "v1/auth/verify", key.Key)) Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var prefix = key.Key[..ApiKeyFormat.LookupPrefixLength];
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await GetAsync(server.Client, "v1/auth/verify", prefix + ApiKeyFormat.Generate()[ApiKeyFormat.LookupPrefixLength..]);
            await AssertErrorAsync(wrong, i < 3 ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests);
        }

        // Cached: answered without scrypt or the budget.
        var scrypt = await MetricAsync(server.Client, Scrypt);
        using (var cached = await GetAsync(server.Client, "v1/auth/verify", key.Key)) Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal(scrypt, await MetricAsync(server.Client, Scrypt));

        // Out of the cache (a suspension broadcast drops it; then the key is active again): verified with scrypt although
        // its prefix's budget is spent, because this replica found this very key valid before.
        var suspend = await ServerCli.RunAsync(fixture.Environment(), "keys", "suspend", key.Id.ToString());
        Assert.True(suspend.ExitCode == 0, suspend.StandardError);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOnceUncachedAsync(server.Client, key.Key));

        await fixture.Store.Keys.ActivateAsync(key.Id);
        scrypt = await MetricAsync(server.Client, Scrypt);
        using (var again = await GetAsync(server.Client, "v1/auth/verify", key.Key)) Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(scrypt + 1, await MetricAsync(server.Client, Scrypt));

        // Once found revoked, the key loses that pass: its next use meets the spent budget, without scrypt.
        var revoke = await ServerCli.RunAsync(fixture.Environment(), "keys", "revoke", key.Id.ToString());
        Assert.True(revoke.ExitCode == 0, revoke.StandardError);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOnceUncachedAsync(server.Client, key.Key));
        scrypt = await MetricAsync(server.Client, Scrypt);
        using (var revoked = await GetAsync(server.Client, "v1/auth/verify", key.Key)) await AssertErrorAsync(revoked, HttpStatusCode.TooManyRequests);
        Assert.Equal(scrypt, await MetricAsync(server.Client, Scrypt));
    }

    [Fact]
    public async Task A_cached_key_is_served_at_once_while_guesses_fill_the_verification_gate()
    {
        var server = fixture.Guarded;
        var key = await fixture.Store.CreateKeyAsync();
        using (var first = await GetAsync(server.Client, "v1/auth/verify", key.Key)) Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        // Eight attackers, each guess with a new prefix (so no prefix budget applies), against one slot and a one-place line.
        using var stop = new CancellationTokenSource();
        var refusals = new ConcurrentQueue<(HttpStatusCode Status, double Ms, string Body, string? RetryAfter)>();
        var attackers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                using var response = await GetAsync(server.Client, "v1/auth/verify", ApiKeyFormat.Generate());
                var body = await response.Content.ReadAsStringAsync();
                refusals.Enqueue((response.StatusCode, clock.Elapsed.TotalMilliseconds, body,
                    response.Headers.TryGetValues("Retry-After", out var retry) ? retry.Single() : null));
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(1));
        var served = new double[20];
        for (var i = 0; i < served.Length; i++)
        {
            served[i] = await TimeAsync(server.Client, key.Key, HttpStatusCode.OK);
        }

        await stop.CancelAsync();
        await Task.WhenAll(attackers);

        // The gate was full: guesses beyond the slot and its line were refused at once with 503 and Retry-After.
        var answers = refusals.ToArray();
        var busy = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToArray();
        var verified = answers.Where(a => a.Status == HttpStatusCode.Unauthorized).ToArray();
        Assert.True(busy.Length > 0 && verified.Length > 0, $"{busy.Length} × 503, {verified.Length} × 401 of {answers.Length}");
        Assert.Equal(answers.Length, busy.Length + verified.Length);
        Assert.Contains("\"code\":\"auth_busy\"", busy[0].Body, StringComparison.Ordinal);
        Assert.Equal("1", busy[0].RetryAfter);

        // The cached key never waited for a slot: its median answer is well under the median verified guess.
        var (servedMedian, verifiedMedian) = (Median(served), Median(verified.Select(v => v.Ms).ToArray()));
        Assert.True(servedMedian < verifiedMedian / 2, $"cached key median {servedMedian:F2} ms, verified guess median {verifiedMedian:F2} ms");
    }

    /// <summary>The first answer other than 200 within 10 s: what the key gets once the status broadcast dropped it from the cache.</summary>
    private static async Task<HttpStatusCode> StatusOnceUncachedAsync(HttpClient client, string key)
    {
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await GetAsync(client, "v1/auth/verify", key);
            status = response.StatusCode;
        }
        while (status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(10));
        return status;
    }

    private static string Result(string result) => $"api_key_verifications_total{{result=\"{result}\"}}";

    private static Task<double> TimeRefusalAsync(HttpClient client, string key) => TimeAsync(client, key, HttpStatusCode.Unauthorized);

    private static async Task<double> TimeAsync(HttpClient client, string key, HttpStatusCode expected)
    {
        var clock = Stopwatch.StartNew();
        using var response = await GetAsync(client, "v1/auth/verify", key);
        var ms = clock.Elapsed.TotalMilliseconds;
        Assert.Equal(expected, response.StatusCode);
        return ms;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The fixture's server (every budget raised) and a guarded one on the same database and Redis.</summary>
    public sealed class BruteForceServers : ServerFixture
    {
        /// <summary>Prefix budget 3 a minute; one verification slot, a one-place line, 200 ms wait.</summary>
        public ServerProcess Guarded { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Guarded = await ServerProcess.StartAsync(Environment(
                ("CALLWAITING_RateLimits__FailedAuthPerPrefixPerMinute", "3"),
                ("CALLWAITING_Auth__MaxConcurrentVerifications", "1"),
                ("CALLWAITING_Auth__MaxQueuedVerifications", "1"),
                ("CALLWAITING_Auth__MaxVerificationWait", "00:00:00.2")));
        }

        public override async Task DisposeAsync()
        {
            await Guarded.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
