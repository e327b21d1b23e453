namespace CallWaiting.Server.Storage;

/// <summary>A row of the <c>voices</c> table: a public voice (no owner) or a tenant's private one.</summary>
/// <param name="Id">Stable id (seeded voices derive it from the slug).</param>
/// <param name="Slug">Unique handle, usable instead of the id in the API.</param>
/// <param name="OwnerTenant">Owning tenant, or null for a public voice.</param>
/// <param name="DisplayName">Name shown to users.</param>
/// <param name="Description">Free text.</param>
/// <param name="Language">BCP-47 tag, e.g. en-US.</param>
/// <param name="Gender">"female", "male", … or null.</param>
/// <param name="Engine">Engine id that renders the voice.</param>
/// <param name="EngineVoice">The engine's own voice name.</param>
/// <param name="SampleUrl">URL of a preview clip, or null.</param>
/// <param name="ParamsJson">Engine parameters as a JSON object text.</param>
/// <param name="CreatedAt">Creation instant.</param>
public sealed record StoredVoice(
    Guid Id,
    string Slug,
    Guid? OwnerTenant,
    string DisplayName,
    string Description,
    string Language,
    string? Gender,
    string Engine,
    string EngineVoice,
    string? SampleUrl,
    string ParamsJson,
    DateTimeOffset CreatedAt)
{
    /// <summary>Whether every tenant can see the voice.</summary>
    public bool IsPublic => OwnerTenant is null;
}
