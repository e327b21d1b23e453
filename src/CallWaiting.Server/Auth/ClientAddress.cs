using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Auth;

/// <summary>The client address as per-IP limits and logs see it (IPv4-mapped IPv6 folded to IPv4).</summary>
public static class ClientAddress
{
    /// <summary>The remote address as text, "unknown" when the transport has none.</summary>
    public static string Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }
}
