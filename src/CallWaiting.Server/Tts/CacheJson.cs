using System.Text.Json.Serialization;

namespace CallWaiting.Server.Tts;

/// <summary>Source-generated JSON contracts of the cache endpoints, in snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PrewarmRequest))]
[JsonSerializable(typeof(PrewarmResponse))]
public sealed partial class CacheJson : JsonSerializerContext;
