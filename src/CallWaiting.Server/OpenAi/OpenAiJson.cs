using System.Text.Json.Serialization;

namespace CallWaiting.Server.OpenAi;

/// <summary>Source-generated JSON of the OpenAI-compatible API, in OpenAI's snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OpenAiErrorResponse))]
[JsonSerializable(typeof(OpenAiModel))]
[JsonSerializable(typeof(OpenAiList<OpenAiModel>))]
[JsonSerializable(typeof(OpenAiList<OpenAiVoice>))]
[JsonSerializable(typeof(SpeechAudioDoneEvent))]
public sealed partial class OpenAiJson : JsonSerializerContext;
