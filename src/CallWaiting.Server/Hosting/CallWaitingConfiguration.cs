using Microsoft.Extensions.Configuration;

namespace CallWaiting.Server.Hosting;

/// <summary>Where the server and the command line read their settings from, besides appsettings.json and the command line.</summary>
public static class CallWaitingConfiguration
{
    /// <summary>
    /// Adds the CALLWAITING_&lt;Section&gt;__&lt;Name&gt; environment variables and, after them so they win, the short
    /// ones of <see cref="EnvironmentAliases"/>.
    /// </summary>
    public static IConfigurationBuilder AddCallWaitingEnvironment(this IConfigurationBuilder configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.AddEnvironmentVariables(CallWaitingServer.EnvironmentPrefix).Add(new EnvironmentAliases());
    }

    /// <summary>The settings of a command that runs without the server's host (migrate, keys, tenants).</summary>
    public static IConfiguration ForCommandLine() => new ConfigurationBuilder().AddCallWaitingEnvironment().Build();
}
