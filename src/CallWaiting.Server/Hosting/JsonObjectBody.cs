using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Hosting;

/// <summary>
/// A JSON object request body read field by field (snake_case names), each wrong field a 400
/// <see cref="ApiRequestException"/> that names it; unknown fields are refused too, so a typo is not silently ignored.
/// </summary>
public sealed class JsonObjectBody : IDisposable
{
    private readonly JsonDocument _document;
    private readonly JsonElement _root;

    private JsonObjectBody(JsonDocument document)
    {
        _document = document;
        _root = document.RootElement;
    }

    /// <summary>Reads the body (at most <paramref name="maxBodyBytes"/>); it must be a JSON object with only <paramref name="allowed"/> fields.</summary>
    public static async Task<JsonObjectBody> ReadAsync(HttpRequest request, long maxBodyBytes, IReadOnlyCollection<string> allowed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var document = await JsonRequestBody.ReadAsync(request, maxBodyBytes, problem => ApiRequestException.ForBody(problem, maxBodyBytes), cancellationToken).ConfigureAwait(false);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw ApiRequestException.Invalid("The request body must be a JSON object.");
        }

        var unknown = document.RootElement.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => !allowed.Contains(name));
        if (unknown is not null)
        {
            document.Dispose();
            throw ApiRequestException.Invalid($"Unknown field '{unknown}'; allowed: {string.Join(", ", allowed)}.");
        }

        return new JsonObjectBody(document);
    }

    /// <summary>Whether the field is present (null included).</summary>
    public bool Has(string name) => _root.TryGetProperty(name, out _);

    /// <summary>Whether the field is present and null (for a PATCH: clear it).</summary>
    public bool IsNull(string name) => _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Null;

    /// <summary>The string field; null when absent or null, unless <paramref name="required"/>.</summary>
    public string? String(string name, bool required = false)
    {
        if (!TryGet(name, required, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String) throw Wrong(name, "a string");
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            throw ApiRequestException.Invalid($"Field '{name}' holds an invalid escape sequence.");
        }
    }

    /// <summary>The whole-number field; null when absent or null.</summary>
    public int? Int(string name) =>
        !TryGet(name, false, out var value) ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : throw Wrong(name, "a whole number");

    /// <summary>The field as a list of strings; null when absent or null.</summary>
    public IReadOnlyList<string>? Strings(string name)
    {
        if (!TryGet(name, false, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
            throw Wrong(name, "an array of strings");
        try
        {
            return value.EnumerateArray().Select(item => item.GetString()!).ToList();
        }
        catch (InvalidOperationException)
        {
            throw ApiRequestException.Invalid($"Field '{name}' holds an invalid escape sequence.");
        }
    }

    /// <summary>The field as an instant (ISO 8601 with an offset, e.g. 2027-01-31T00:00:00Z); null when absent or null.</summary>
    public DateTimeOffset? Instant(string name) =>
        String(name) is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) ? instant.ToUniversalTime()
        : throw Wrong(name, "an ISO 8601 instant such as 2027-01-31T00:00:00Z");

    /// <summary>The field as an id; null when absent or null, unless <paramref name="required"/>.</summary>
    public Guid? Id(string name, bool required = false) =>
        String(name, required) is not { } text ? null
        : Guid.TryParse(text, out var id) ? id
        : throw Wrong(name, "an id (UUID)");

    /// <inheritdoc />
    public void Dispose() => _document.Dispose();

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        if (_root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null) return true;
        return required ? throw ApiRequestException.Invalid($"Field '{name}' is required.") : false;
    }

    private static ApiRequestException Wrong(string name, string expected) => ApiRequestException.Invalid($"Field '{name}' must be {expected}.");
}
