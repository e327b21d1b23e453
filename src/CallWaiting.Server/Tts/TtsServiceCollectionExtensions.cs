using CallWaiting.Server.Cache;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace CallWaiting.Server.Tts;

/// <summary>Registers the synthesis endpoints' services and JSON contracts.</summary>
public static class TtsServiceCollectionExtensions
{
    /// <summary>Adds <see cref="TtsService"/>, its <see cref="AudioRenderer"/>, <see cref="TtsUsageRecorder"/> and the Tts and Cache JSON contexts (needs <see cref="AudioCache"/>).</summary>
    public static IServiceCollection AddTts(this IServiceCollection services)
    {
        services.AddSingleton<AudioRenderer>();
        services.AddSingleton<TtsService>();
        services.AddSingleton<TtsUsageRecorder>();
        services.Configure<JsonOptions>(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Add(TtsJson.Default);
            json.SerializerOptions.TypeInfoResolverChain.Add(CacheJson.Default);
        });
        return services;
    }
}
