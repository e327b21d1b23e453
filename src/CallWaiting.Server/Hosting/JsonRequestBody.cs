using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace CallWaiting.Server.Hosting;

/// <summary>
/// Reads a JSON request body by hand, within a size limit and a nesting depth, so that every API that takes one can
/// answer a malformed, oversized or hostile body with its own precise 4xx: each refusal is a
/// <see cref="JsonBodyProblem"/> that the caller turns into the exception it answers with.
/// </summary>
public static class JsonRequestBody
{
    private const int MaxDepth = 8;

    /// <summary>Reads at most <paramref name="maxBodyBytes"/> into a document; throws what <paramref name="refuse"/> makes of a problem.</summary>
    public static async Task<JsonDocument> ReadAsync(HttpRequest request, long maxBodyBytes, Func<JsonBodyProblem, Exception> refuse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(refuse);
        if (!IsJson(request.ContentType)) throw refuse(JsonBodyProblem.NotJson);
        if (request.ContentLength > maxBodyBytes) throw refuse(JsonBodyProblem.TooLarge);

        // One byte past the limit tells an oversized body without reading all of it.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBodyBytes + 1, int.MaxValue));
        try
        {
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
                length += read;
            if (length > maxBodyBytes) throw refuse(JsonBodyProblem.TooLarge);
            return Parse(buffer.AsSpan(0, length), refuse);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses one JSON value followed by nothing but white space; throws what <paramref name="refuse"/> makes of a problem.</summary>
    public static JsonDocument Parse(ReadOnlySpan<byte> body, Func<JsonBodyProblem, Exception> refuse)
    {
        ArgumentNullException.ThrowIfNull(refuse);
        if (body.IsEmpty) throw refuse(JsonBodyProblem.Empty);

        // The reader passes invalid UTF-8 inside strings; checked here, it gets its own error instead of failing later as a bad string.
        if (!Utf8.IsValid(body)) throw refuse(JsonBodyProblem.InvalidUtf8);
        JsonDocument document;
        long consumed;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
            document = JsonDocument.ParseValue(ref reader);
            consumed = reader.BytesConsumed;
        }
        catch (JsonException)
        {
            throw refuse(JsonBodyProblem.Malformed);
        }

        if (consumed != body.Length && body[(int)consumed..].IndexOfAnyExcept(" \t\r\n"u8) >= 0)
        {
            document.Dispose();
            throw refuse(JsonBodyProblem.TrailingData);
        }
        return document;
    }

    /// <summary>Whether a Content-Type is application/json or a +json type.</summary>
    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.HasValue
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Value!.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}
