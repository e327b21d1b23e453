using CallWaiting.Server.Voices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CallWaiting.Server.OpenAi;

/// <summary>Dependency-injection registration of the OpenAI-compatible API.</summary>
public static class OpenAiServiceCollectionExtensions
{
    /// <summary>Binds and validates <see cref="OpenAiOptions"/> (at start-up) and registers the voice map.</summary>
    public static IServiceCollection AddOpenAiCompatibility(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<OpenAiOptions>().Bind(configuration.GetSection(OpenAiOptions.Section))
            .Validate(o => o.MaxInputLength is >= 1 and <= 100_000, "OpenAi:MaxInputLength must be between 1 and 100000 characters.")
            .Validate(o => o.Voices.All(v => v.Key.Trim().Length > 0 && OpenAiOptions.Candidates(v.Value) is { Length: > 0 } candidates
                    && candidates.All(VoiceIdentifier.IsPlausible)),
                "OpenAi:Voices entries must map a name to one or more voice slugs or UUIDs, separated by commas.")
            .ValidateOnStart();
        services.AddSingleton<OpenAiVoiceMap>();
        return services;
    }
}
