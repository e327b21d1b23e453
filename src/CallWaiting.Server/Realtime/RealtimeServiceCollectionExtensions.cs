using CallWaiting.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Realtime;

/// <summary>Dependency-injection registration of the WebSocket endpoint and the token signer.</summary>
public static partial class RealtimeServiceCollectionExtensions
{
    /// <summary>Binds <see cref="RealtimeOptions"/> (validated at start) and registers the signer, tokens, auth filter and metrics.</summary>
    public static IServiceCollection AddRealtime(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddValidatedOptions<RealtimeOptions>(RealtimeOptions.Section);
        services.AddSingleton(sp =>
        {
            var signer = TokenSigner.Create(sp.GetRequiredService<IOptions<RealtimeOptions>>().Value);
            if (signer.IsEphemeral) LogEphemeralSecret(sp.GetRequiredService<ILoggerFactory>().CreateLogger("CallWaiting.Server.Realtime"));
            return signer;
        });
        services.AddSingleton<WsTokens>();
        services.AddSingleton<TokenCallerAuthenticator>();
        services.AddSingleton(new RealtimeMetrics());
        return services;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Realtime:SigningSecret is not set: WebSocket tokens and Twilio audio URLs are signed with a per-process secret and fail on other replicas and after a restart")]
    private static partial void LogEphemeralSecret(ILogger logger);
}
