using Google.Protobuf;

namespace CallWaiting.Server.Tests.Observability;

/// <summary>
/// Reads an OTLP <c>ExportTraceServiceRequest</c> from its protobuf wire form, field by field as opentelemetry-proto
/// numbers them (trace/v1/trace.proto, common/v1/common.proto); fields a test does not need are skipped.
/// </summary>
public static class OtlpTraceDecoder
{
    /// <summary>Every span in the request, each with its scope's name and its resource's attributes.</summary>
    public static IReadOnlyList<OtlpSpan> Decode(byte[] request)
    {
        var spans = new List<OtlpSpan>();
        foreach (var (field, bytes) in Fields(request))
        {
            if (field == 1) ResourceSpans(bytes, spans); // ExportTraceServiceRequest.resource_spans
        }

        return spans;
    }

    private static void ResourceSpans(ByteString message, List<OtlpSpan> spans)
    {
        var resource = new Dictionary<string, object>();
        var scopes = new List<ByteString>();
        foreach (var (field, bytes) in Fields(message.ToByteArray()))
        {
            if (field == 1) Attributes(bytes, 1, resource); // Resource.attributes
            else if (field == 2) scopes.Add(bytes);
        }

        foreach (var scope in scopes) ScopeSpans(scope, resource, spans);
    }

    private static void ScopeSpans(ByteString message, Dictionary<string, object> resource, List<OtlpSpan> spans)
    {
        var scope = "";
        var bodies = new List<ByteString>();
        foreach (var (field, bytes) in Fields(message.ToByteArray()))
        {
            if (field == 1) scope = Fields(bytes.ToByteArray()).Where(f => f.Field == 1).Select(f => f.Bytes.ToStringUtf8()).FirstOrDefault() ?? "";
            else if (field == 2) bodies.Add(bytes);
        }

        spans.AddRange(bodies.Select(body => Span(body, scope, resource)));
    }

    private static OtlpSpan Span(ByteString message, string scope, Dictionary<string, object> resource)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var kind = 0;
        var attributes = new Dictionary<string, object>();
        var input = new CodedInputStream(message.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 2: spanId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 4: parent = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 5: name = input.ReadString(); break;
                case 6: kind = input.ReadEnum(); break;
                case 9: KeyValue(input.ReadBytes(), attributes); break;
                default: input.SkipLastField(); break;
            }
        }

        return new OtlpSpan(traceId, spanId, parent, name, kind, scope, attributes, resource);
    }

    private static void Attributes(ByteString message, int field, Dictionary<string, object> into)
    {
        foreach (var (number, bytes) in Fields(message.ToByteArray()))
        {
            if (number == field) KeyValue(bytes, into);
        }
    }

    // KeyValue { string key = 1; AnyValue value = 2; } with AnyValue's string, bool, int64 and double cases.
    private static void KeyValue(ByteString message, Dictionary<string, object> into)
    {
        var key = "";
        object? value = null;
        foreach (var (field, bytes) in Fields(message.ToByteArray()))
        {
            if (field == 1) key = bytes.ToStringUtf8();
            else if (field == 2) value = AnyValue(bytes.ToByteArray());
        }

        if (value is not null) into[key] = value;
    }

    private static object? AnyValue(byte[] message)
    {
        var input = new CodedInputStream(message);
        uint tag;
        object? value = null;
        while ((tag = input.ReadTag()) != 0)
        {
            value = WireFormat.GetTagFieldNumber(tag) switch
            {
                1 => input.ReadString(),
                2 => input.ReadBool(),
                3 => input.ReadInt64(),
                4 => input.ReadDouble(),
                _ => Skip(input),
            };
        }

        return value;
    }

    private static object? Skip(CodedInputStream input)
    {
        input.SkipLastField();
        return null;
    }

    // The length-delimited fields of a message, in order; other wire types are skipped.
    private static List<(int Field, ByteString Bytes)> Fields(byte[] message)
    {
        var fields = new List<(int, ByteString)>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited) fields.Add((WireFormat.GetTagFieldNumber(tag), input.ReadBytes()));
            else input.SkipLastField();
        }

        return fields;
    }
}
