using System.Text.Json.Serialization;

namespace CallWaiting.Cli.Commands;

/// <summary>One voice as `voices list --json` prints it (the API's voice shape plus engine details).</summary>
internal sealed record VoiceRow(
    Guid Id, string Slug, string DisplayName, string Description, string Language, string Gender,
    string Engine, string EngineVoice, int SampleRate, string Quality, bool IsPublic);

/// <summary>One new key as `keys create --json` prints it (DESIGN.md §3).</summary>
internal sealed record NewKeyRow(Guid Id, string Key, string Prefix, Guid TenantId, string Name);

/// <summary>One key as `keys list --json` prints it (never the key or its hash).</summary>
internal sealed record KeyRow(
    Guid Id, string Prefix, string Name, Guid TenantId, string Status, string Scopes, int RateLimitPerMin, int RateLimitPerDay,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset CreatedAt);

/// <summary>One tenant as `tenants list --json` prints it.</summary>
internal sealed record TenantRow(Guid Id, string Slug, string Name, string Plan, string Status, DateTimeOffset CreatedAt);

/// <summary>Source-generated JSON for CLI output, snake_case like the API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(IEnumerable<VoiceRow>))]
[JsonSerializable(typeof(IEnumerable<Models.ModelRow>))]
internal sealed partial class CliJson : JsonSerializerContext;

/// <summary>Compact (one object per line) JSON for CLI listings.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(NewKeyRow))]
[JsonSerializable(typeof(KeyRow))]
[JsonSerializable(typeof(TenantRow))]
internal sealed partial class CliLineJson : JsonSerializerContext;
