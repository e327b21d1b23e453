using CallWaiting.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CallWaiting.Server.Twilio;

/// <summary>Dependency-injection registration of the Twilio endpoints (needs <c>AddRealtime</c> for the token signer).</summary>
public static class TwilioServiceCollectionExtensions
{
    /// <summary>Binds <see cref="TwilioOptions"/> (validated at start) and registers the audio token issuer.</summary>
    public static IServiceCollection AddTwilio(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddValidatedOptions<TwilioOptions>(TwilioOptions.Section);
        services.AddSingleton<AudioTokens>();
        return services;
    }
}
