using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Twilio;

/// <summary>Dependency-injection registration of the Twilio endpoints (needs <c>AddRealtime</c> for the token signer).</summary>
public static class TwilioServiceCollectionExtensions
{
    /// <summary>Binds <see cref="TwilioOptions"/> (validated at start) and registers the audio token issuer.</summary>
    public static IServiceCollection AddTwilio(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TwilioOptions>().Bind(configuration.GetSection(TwilioOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TwilioOptions>, Validator>();
        services.AddSingleton<AudioTokens>();
        return services;
    }

    // Reports every problem at once, each naming its setting.
    private sealed class Validator : IValidateOptions<TwilioOptions>
    {
        public ValidateOptionsResult Validate(string? name, TwilioOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
