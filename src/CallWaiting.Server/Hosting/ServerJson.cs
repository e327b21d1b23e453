using System.Text.Json.Serialization;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Health;
using CallWaiting.Server.Tts;
using CallWaiting.Server.Metering;
using CallWaiting.Server.Voices;
using Microsoft.AspNetCore.Mvc;

namespace CallWaiting.Server.Hosting;

/// <summary>Source-generated JSON contracts of the API, in snake_case as the seed's contract shows.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(VoiceResponse))]
[JsonSerializable(typeof(IEnumerable<VoiceResponse>))]
[JsonSerializable(typeof(UsageReportRow))]
[JsonSerializable(typeof(IReadOnlyList<UsageReportRow>))]
[JsonSerializable(typeof(VerifyResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ReadyResponse))]
[JsonSerializable(typeof(TtsBody))]
public sealed partial class ServerJson : JsonSerializerContext;
