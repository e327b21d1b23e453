using System.Text.Json.Serialization;

namespace CallWaiting.Server.Admin;

/// <summary>A page of GET /v1/admin/requests, newest first.</summary>
/// <param name="Items">The requests.</param>
/// <param name="NextBefore">The <c>before</c> value of the next (older) page; null on the last page.</param>
public sealed record AdminRequestLogPage(
    [property: JsonPropertyName("items")] IReadOnlyList<AdminRequestLogItem> Items,
    [property: JsonPropertyName("next_before")] string? NextBefore);
