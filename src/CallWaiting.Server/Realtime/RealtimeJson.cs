using System.Text.Json.Serialization;

namespace CallWaiting.Server.Realtime;

/// <summary>Source-generated JSON of the realtime endpoints' HTTP answers, in the API's snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WsTokenResponse))]
public sealed partial class RealtimeJson : JsonSerializerContext;
