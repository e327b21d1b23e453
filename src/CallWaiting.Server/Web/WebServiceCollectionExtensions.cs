using CallWaiting.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CallWaiting.Server.Web;

/// <summary>Dependency-injection registration of the web pages' sessions.</summary>
public static class WebServiceCollectionExtensions
{
    /// <summary>Binds <see cref="WebOptions"/> (validated at start) and registers session tokens and their authenticator.</summary>
    public static IServiceCollection AddWeb(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddValidatedOptions<WebOptions>(WebOptions.Section);
        services.AddSingleton<WebSessionTokens>();
        services.AddSingleton<WebSessionAuthenticator>();
        return services;
    }
}
