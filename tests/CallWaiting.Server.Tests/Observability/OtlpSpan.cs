namespace CallWaiting.Server.Tests.Observability;

/// <summary>One span as an OTLP collector received it: ids in lowercase hex, its scope, attributes and its resource's attributes.</summary>
public sealed record OtlpSpan(
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    int Kind,
    string Scope,
    IReadOnlyDictionary<string, object> Attributes,
    IReadOnlyDictionary<string, object> Resource)
{
    /// <summary>OTLP's SPAN_KIND_SERVER.</summary>
    public const int ServerKind = 2;

    /// <summary>The attribute's value as text (strings as they are, numbers invariant), or null when absent.</summary>
    public string? Text(string attribute) => Attributes.TryGetValue(attribute, out var value)
        ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)
        : null;
}
