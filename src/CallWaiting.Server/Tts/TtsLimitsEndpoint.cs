using CallWaiting.Server.Hosting;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Tts;

/// <summary>
/// GET /v1/tts/limits: the text limit, speed and sample-rate ranges and formats the /v1/tts parser enforces, read from
/// the same constants and options, so the playground (and any client) shows this server's rules instead of a copy.
/// </summary>
public static class TtsLimitsEndpoint
{
    internal static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/tts/limits", Limits)
            .WithName("TtsLimits")
            .WithSummary("What a synthesis request may ask for")
            .WithDescription("""
                Any valid key. The longest text (characters, counted as Unicode code points), the speed and sample_rate
                ranges, and each format with its default rate, the only rates it takes (mp3, opus) and whether it streams
                unless asked not to.
                """)
            .ProducesApiErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
    }

    private static Ok<TtsLimits> Limits(IOptions<ApiOptions> api) => TypedResults.Ok(new TtsLimits(
        api.Value.MaxTextLength,
        new TtsRange(SynthesisOptions.MinSpeed, SynthesisOptions.MaxSpeed),
        new TtsRange(SynthesisOptions.MinSampleRate, SynthesisOptions.MaxSampleRate),
        AudioFormats.All.Select(format => new TtsFormatInfo(
            AudioFormats.Name(format),
            AudioFormats.FileExtension(format),
            AudioFormats.DefaultSampleRate(format),
            AudioFormats.SupportedSampleRates(format),
            TtsHttp.StreamedByDefault(format))).ToList()));
}
