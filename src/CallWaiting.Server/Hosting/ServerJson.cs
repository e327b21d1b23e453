using System.Text.Json.Serialization;

namespace CallWaiting.Server.Hosting;

/// <summary>Source-generated JSON contracts of the API, in snake_case as the seed's contract shows.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiError))]
public sealed partial class ServerJson : JsonSerializerContext;
