using System.Security.Cryptography;
using System.Text;

namespace CallWaiting.Server.RateLimiting;

/// <summary>The Lua script that checks and counts all windows of a policy in one atomic step inside Redis.</summary>
/// <remarks>
/// Time comes from the Redis server's TIME, not the client: replicas' clocks drift apart, and one clock keeps
/// every replica's windows aligned. Each window is a hash {w = window index, c = count}; a count from an older
/// window index reads as zero, so correctness never rests on key expiry (PEXPIREAT only reclaims memory).
/// All keys of one call share a hash tag, so the script runs on one cluster node.
/// </remarks>
internal static class RedisRateLimitScript
{
    /// <summary>KEYS[i]: window i's hash. ARGV[1]: "1" to count when all windows allow, "0" to only report.
    /// ARGV[2i], ARGV[2i+1]: window i's limit and period in ms. Returns {now ms, allowed 0|1, count 1..n}.</summary>
    public const string Source = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local n = #KEYS
        local result = {now, 1}
        local index = {}
        for i = 1, n do
          local limit = tonumber(ARGV[2 * i])
          local period = tonumber(ARGV[2 * i + 1])
          local w = math.floor(now / period)
          index[i] = w
          local state = redis.call('HMGET', KEYS[i], 'w', 'c')
          local c = 0
          if tonumber(state[1]) == w then c = tonumber(state[2]) or 0 end
          result[i + 2] = c
          if c >= limit then result[2] = 0 end
        end
        if result[2] == 1 and ARGV[1] == '1' then
          for i = 1, n do
            local period = tonumber(ARGV[2 * i + 1])
            local c = result[i + 2] + 1
            redis.call('HSET', KEYS[i], 'w', index[i], 'c', c)
            redis.call('PEXPIREAT', KEYS[i], (index[i] + 1) * period)
            result[i + 2] = c
          end
        end
        return result
        """;

    /// <summary>The script's SHA-1, the name Redis caches it under (EVALSHA); computed locally, so no round trip is needed to learn it.</summary>
    public static readonly byte[] Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(Source));
}
