using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace CallWaiting.Server.Admin;

/// <summary>
/// The <c>before</c> cursor of GET /v1/admin/requests: the last row of a page (arrival to the tick, row id), opaque to
/// clients. Keyset paging, so a page is as cheap deep in the log as at its top, and rows logged meanwhile never shift it.
/// </summary>
public static class RequestLogCursor
{
    /// <summary>The cursor naming the row that arrived at <paramref name="createdAt"/> with row id <paramref name="id"/>.</summary>
    public static string Encode(DateTimeOffset createdAt, long id) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{createdAt.UtcTicks}.{id}")));

    /// <summary>The row a cursor names; a 400 for text that is no cursor of ours.</summary>
    public static (DateTimeOffset CreatedAt, long Id) Decode(string cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor)).Split('.');
            if (parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return (new DateTimeOffset(ticks, TimeSpan.Zero), id);
        }
        catch (FormatException)
        {
            // Not base64url: answered below like any other foreign text.
        }

        throw AdminQueryReader.Refuse("invalid_before", "Query parameter 'before' must be the next_before value of a previous page.");
    }
}
