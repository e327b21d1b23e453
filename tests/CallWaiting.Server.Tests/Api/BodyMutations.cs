using System.Text;
using System.Text.Json.Nodes;

namespace CallWaiting.Server.Tests.Api;

/// <summary>
/// Seeded mutations of valid request bodies for the fuzz tests: JSON values swapped for wrong types, huge numbers and deep
/// nesting; bytes truncated, flipped or spiked with invalid UTF-8 and NUL; forms and multipart bodies with hostile values,
/// too many fields, and missing, duplicated or mismatched boundaries; odd Content-Types.
/// </summary>
internal static class BodyMutations
{
    private const string Placeholder = "@@raw";

    private static readonly string[] JsonValues =
    [
        "null", "true", "false", "0", "-1", "-0", "3.5", "0.5", "2.0", "1e309", "-1e400", "99999999999999999999999999",
        "1" + new string('0', 400), "NaN", "Infinity", "\"\"", "\" \"", "[]", "{}", "\"wav\"", "\"1.0\"", "\"emily-en-us\"",
        "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\uD83D\\uDE00\"", "\"😀😀😀\"",
        "\"" + new string('x', 3000) + "\"", "\"<speak>Hi <break time=\\\"10s\\\"/></speak>\"", "\"<speak><unclosed\"",
        "\"../../etc/passwd\"", "\"%00\"", "[[[[[[[[[[[[1]]]]]]]]]]]]",
    ];

    private static readonly string[] FormValues =
    [
        "", "%00", "a%00b", "%ZZ", "%", "%FF%FE", "%C3%28", "%ED%A0%80", "%F0%9F%98%80", "+", "9e999", "NaN", "-1", "0.1", "2.0",
        "%3Cspeak%3EHi%3C%2Fspeak%3E", "%3Cspeak%3E%3Cunclosed", "emily-en-us", "nobody", new string('x', 3000),
    ];

    private static readonly string[] OddContentTypes =
    [
        "", "text/plain", "application/xml", "application/json; charset=utf-16", "application/vnd.api+json", ";;;", "application/json; charset=\"",
        "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-7", "multipart/form-data",
        "multipart/form-data; boundary=", "multipart/form-data; boundary=x; boundary=y", "multipart/mixed; boundary=x", "*/*", "application/octet-stream",
    ];

    private static readonly byte[][] InvalidUtf8 = [[0xC3, 0x28], [0xFF], [0xFE, 0xFF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0xE2, 0x82]];

    /// <summary>A JSON body derived from <paramref name="seed"/> (valid JSON) by one to three random mutations.</summary>
    public static MutatedBody Json(Random random, string seed)
    {
        var root = JsonNode.Parse(seed)!;
        var raw = new List<string>();
        var names = new List<string>();
        for (var n = random.Next(1, 4); n > 0; n--) names.Add(MutateTree(random, root, raw));
        var text = root.ToJsonString();
        for (var i = 0; i < raw.Count; i++) text = text.Replace($"\"{Placeholder}{i}\"", raw[i], StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text);
        if (random.Next(3) == 0) bytes = MutateBytes(random, bytes, names, json: true);
        var contentType = random.Next(8) == 0 ? OddContentTypes[random.Next(OddContentTypes.Length)] : "application/json";
        return new MutatedBody(string.Join("+", names), bytes, contentType);
    }

    /// <summary>A form body (urlencoded or multipart) of <paramref name="fields"/>, mutated.</summary>
    public static MutatedBody Form(Random random, IReadOnlyList<(string Name, string Value)> fields)
    {
        var list = fields.ToList();
        var names = new List<string>();
        for (var n = random.Next(0, 3); n > 0; n--) names.Add(MutateFields(random, list));
        return random.Next(5) < 3 ? UrlEncoded(random, list, names) : Multipart(random, list, names);
    }

    private static string MutateTree(Random random, JsonNode root, List<string> raw)
    {
        var slots = new List<(JsonNode Parent, object Key)>();
        Collect(root, slots);
        if (slots.Count == 0) return "empty";
        var (parent, key) = slots[random.Next(slots.Count)];
        string RawValue(string value)
        {
            raw.Add(value);
            return Placeholder + (raw.Count - 1);
        }

        switch (random.Next(7))
        {
            case 0 when parent is JsonObject o:
                o.Remove((string)key);
                return "drop field";
            case 1 when parent is JsonObject o:
                o[random.Next(2) == 0 ? "__proto__" : "sample_rate" + random.Next(3)] = RawValue(JsonValues[random.Next(JsonValues.Length)]);
                return "extra field";
            case 2:
                Set(parent, key, RawValue(new string('[', random.Next(9, 3000))));
                return "unbalanced nesting";
            case 3:
                var depth = random.Next(9, 3000);
                Set(parent, key, RawValue(new string('[', depth) + new string(']', depth)));
                return "deep nesting";
            case 4:
                Set(parent, key, new string(Enumerable.Range(0, random.Next(1, 1500)).Select(_ => (char)random.Next(1, 0xD7FF)).ToArray()));
                return "random text";
            default:
                Set(parent, key, RawValue(JsonValues[random.Next(JsonValues.Length)]));
                return "wrong type";
        }
    }

    private static void Collect(JsonNode node, List<(JsonNode, object)> slots)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToList())
                {
                    slots.Add((o, name));
                    if (child is not null) Collect(child, slots);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    slots.Add((a, i));
                    if (a[i] is { } child) Collect(child, slots);
                }

                break;
        }
    }

    private static void Set(JsonNode parent, object key, string value)
    {
        if (parent is JsonObject o) o[(string)key] = value;
        else ((JsonArray)parent)[(int)key] = value;
    }

    private static byte[] MutateBytes(Random random, byte[] bytes, List<string> names, bool json = false)
    {
        var list = bytes.ToList();
        var quotes = Enumerable.Range(0, list.Count).Where(i => list[i] == (byte)'"').ToList();
        switch (random.Next(7))
        {
            case 0:
                names.Add("truncated");
                return bytes[..random.Next(bytes.Length)];
            case 1 when quotes.Count > 0:
                names.Add("invalid utf-8 in a string");
                list.InsertRange(quotes[random.Next(quotes.Count)] + 1, InvalidUtf8[random.Next(InvalidUtf8.Length)]);
                return [.. list];
            case 2:
                names.Add("NUL byte");
                list.Insert(random.Next(list.Count + 1), 0);
                return [.. list];
            case 3:
                names.Add("flipped bytes");
                for (var n = random.Next(1, 5); n > 0 && list.Count > 0; n--) list[random.Next(list.Count)] = (byte)random.Next(256);
                return [.. list];
            case 4 when json:
                names.Add("duplicated field");
                return Encoding.UTF8.GetBytes("{\"text\":\"dup\"," + Encoding.UTF8.GetString(bytes).TrimStart('{'));
            case 5:
                names.Add("byte order mark");
                return [0xEF, 0xBB, 0xBF, .. bytes];
            default:
                names.Add("empty");
                return [];
        }
    }

    private static string MutateFields(Random random, List<(string Name, string Value)> fields)
    {
        switch (random.Next(6))
        {
            case 0 when fields.Count > 0:
                fields.RemoveAt(random.Next(fields.Count));
                return "drop field";
            case 1 when fields.Count > 0:
                fields.Add(fields[random.Next(fields.Count)]);
                return "duplicated field";
            case 2:
                var count = random.Next(1000, 2500);
                fields.AddRange(Enumerable.Range(0, count).Select(i => ($"f{i}", "1")));
                return $"{count} extra fields";
            case 3:
                fields.Add((new string('k', random.Next(2000, 6000)), "v"));
                return "long key";
            case 4:
                fields.Add(("speed", FormValues[random.Next(FormValues.Length)]));
                return "speed";
            default:
                if (fields.Count == 0) return "none";
                var i = random.Next(fields.Count);
                fields[i] = (fields[i].Name, FormValues[random.Next(FormValues.Length)]);
                return "hostile value";
        }
    }

    // Values are written as given: FormValues are already percent-encoded (or deliberately not).
    private static MutatedBody UrlEncoded(Random random, List<(string Name, string Value)> fields, List<string> names)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join("&", fields.Select(f => $"{f.Name}={f.Value}")));
        if (random.Next(3) == 0) bytes = MutateBytes(random, bytes, names);
        var contentType = random.Next(8) == 0 ? OddContentTypes[random.Next(OddContentTypes.Length)] : "application/x-www-form-urlencoded";
        return new MutatedBody("urlencoded " + string.Join("+", names), bytes, contentType);
    }

    private static MutatedBody Multipart(Random random, List<(string Name, string Value)> fields, List<string> names)
    {
        var boundary = "cw-fuzz-" + random.Next(1_000_000);
        var parts = fields.Select(f => $"--{boundary}\r\nContent-Disposition: form-data; name=\"{f.Name}\"\r\n\r\n{Uri.UnescapeDataString(f.Value.Replace('+', ' '))}\r\n").ToList();
        var end = $"--{boundary}--\r\n";
        var contentType = $"multipart/form-data; boundary={boundary}";
        switch (random.Next(9))
        {
            case 0:
                names.Add("no boundary parameter");
                contentType = "multipart/form-data";
                break;
            case 1:
                names.Add("duplicated boundary parameter");
                contentType += "; boundary=other";
                break;
            case 2:
                names.Add("mismatched boundary");
                contentType = "multipart/form-data; boundary=not-" + boundary;
                break;
            case 3:
                names.Add("invalid header line");
                parts.Insert(random.Next(parts.Count + 1), $"--{boundary}\r\nthis is not a header\r\n\r\nvalue\r\n");
                break;
            case 4:
                names.Add("missing final boundary");
                end = "";
                break;
            case 5:
                names.Add("boundary too long");
                boundary = new string('b', random.Next(71, 400));
                contentType = $"multipart/form-data; boundary={boundary}";
                parts = [$"--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nHi.\r\n"];
                end = $"--{boundary}--\r\n";
                break;
            case 6:
                names.Add("file part and giant header");
                parts.Add($"--{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"a.wav\"\r\nX-Big: {new string('h', random.Next(100, 40_000))}\r\n\r\nRIFF\r\n");
                break;
            case 7:
                names.Add("part without a name");
                parts.Add($"--{boundary}\r\nContent-Type: text/plain\r\n\r\norphan\r\n");
                break;
        }

        var bytes = Encoding.UTF8.GetBytes(string.Concat(parts) + end);
        if (random.Next(4) == 0) bytes = MutateBytes(random, bytes, names);
        return new MutatedBody("multipart " + string.Join("+", names), bytes, contentType);
    }
}
