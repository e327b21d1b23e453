using CallWaiting.Server.ApiKeys;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Tts;

/// <summary>Who a synthesis is for and how its delivery is metered.</summary>
/// <param name="Key">The caller's key, charged for the audio.</param>
/// <param name="Context">The HTTP request, whose log notes a cached answer; null outside one.</param>
/// <param name="StartedTimestamp">When the caller's request began (<see cref="System.Diagnostics.Stopwatch"/> timestamp): the times metered run from it.</param>
/// <param name="Metering">What is metered.</param>
public sealed record TtsCaller(ApiKey Key, HttpContext? Context, long StartedTimestamp, TtsMetering Metering = TtsMetering.Delivered);
