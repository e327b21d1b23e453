using System.Text.Json.Serialization;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Tts;

/// <summary>Source-generated JSON contracts of the synthesis endpoints, in snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TimestampedSpeech))]
[JsonSerializable(typeof(WordTiming))]
[JsonSerializable(typeof(TtsLimits))]
public sealed partial class TtsJson : JsonSerializerContext;
