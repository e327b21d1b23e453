using CallWaiting.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CallWaiting.Server.OpenAi;

/// <summary>Dependency-injection registration of the OpenAI-compatible API.</summary>
public static class OpenAiServiceCollectionExtensions
{
    /// <summary>Binds and validates <see cref="OpenAiOptions"/> (at start-up) and registers the voice map.</summary>
    public static IServiceCollection AddOpenAiCompatibility(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddValidatedOptions<OpenAiOptions>(OpenAiOptions.Section);
        services.AddSingleton<OpenAiVoiceMap>();
        return services;
    }
}
