using System.Net;
using CallWaiting.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Observability;

/// <summary>Lets only addresses in <see cref="ApiOptions.MetricsAllowlist"/> (loopback by default) read /metrics; others get 403 JSON.</summary>
public sealed class MetricsAccessMiddleware(RequestDelegate next, IOptions<ApiOptions> options)
{
    private readonly IPNetwork[] _allowed = options.Value.MetricsAllowlist.Select(ParseNetwork).ToArray();

    /// <summary>Parses "10.0.0.0/8", "::1/128" or a bare address (a single host).</summary>
    public static IPNetwork ParseNetwork(string text)
    {
        text = text.Trim();
        if (text.Contains('/')) return IPNetwork.Parse(text);
        var address = IPAddress.Parse(text);
        return new IPNetwork(address, address.GetAddressBytes().Length * 8);
    }

    /// <summary>Refuses callers outside the allowlist.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is not null && remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        if (remote is not null && _allowed.Any(network => network.Contains(remote))) return next(context);
        context.Features.Get<RequestTelemetry>()?.Error = "metrics forbidden";
        return ApiResults.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "forbidden", "Metrics are only served to allowed addresses.");
    }
}
