using System.Text.Json.Serialization;

namespace CallWaiting.BareKestrel;

/// <summary>Source-generated JSON for the baseline's body, as the real server uses for its own.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(VerifyBody))]
internal sealed partial class BareJson : JsonSerializerContext;
