using System.Text.Json.Serialization;

namespace CallWaiting.Cli.Commands;

/// <summary>One voice as `voices list --json` prints it (the API's voice shape plus engine details).</summary>
internal sealed record VoiceRow(
    Guid Id, string Slug, string DisplayName, string Description, string Language, string Gender,
    string Engine, string EngineVoice, int SampleRate, string Quality, bool IsPublic);

/// <summary>Source-generated JSON for CLI output, snake_case like the API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(IEnumerable<VoiceRow>))]
internal sealed partial class CliJson : JsonSerializerContext;
