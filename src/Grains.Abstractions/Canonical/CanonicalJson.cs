using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Governance.Canonical;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme (JCS). Hand-written rather than Utf8JsonWriter-based because
/// System.Text.Json's escaping (e.g. of non-ASCII, '+', '&lt;') differs from what JCS mandates.
/// </summary>
public static class CanonicalJson
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Serialize(JsonElement value)
    {
        var sb = new StringBuilder();
        WriteElement(sb, value);
        return sb.ToString();
    }

    public static byte[] SerializeToUtf8Bytes(JsonElement value) => StrictUtf8.GetBytes(Serialize(value));

    public static string Serialize(JsonNode? value)
    {
        var sb = new StringBuilder();
        WriteNode(sb, value);
        return sb.ToString();
    }

    private static void WriteElement(StringBuilder sb, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<KeyValuePair<string, JsonElement>>();
                foreach (var property in element.EnumerateObject())
                {
                    members.Add(new(ReadString(() => property.Name), property.Value));
                }

                WriteObject(sb, members, WriteElement);
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteElement(sb, item);
                }

                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(sb, ReadString(element.GetString));
                break;
            case JsonValueKind.Number:
                // Parse the raw text ourselves: JsonElement.GetDouble rejects overflow, we want ArgumentException.
                var number = double.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
                sb.Append(EcmaScriptNumber.Format(number));
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Null:
                sb.Append("null");
                break;
            default:
                throw new ArgumentException($"Cannot canonicalize a JsonElement of kind {element.ValueKind}.", nameof(element));
        }
    }

    private static void WriteNode(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                var members = new List<KeyValuePair<string, JsonNode?>>(obj.Count);
                members.AddRange(obj);
                WriteObject(sb, members, WriteNode);
                break;
            case JsonArray array:
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    WriteNode(sb, array[i]);
                }

                sb.Append(']');
                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                // Read strings directly so lone surrogates reach WriteString instead of being replaced.
                WriteString(sb, text);
                break;
            case JsonValue value when value.TryGetValue<JsonElement>(out var element):
                WriteElement(sb, element);
                break;
            default:
                // Any other primitive (numbers, bool, char, Guid, ...): round-trip through its JSON form.
                using (var document = JsonDocument.Parse(node.ToJsonString()))
                {
                    WriteElement(sb, document.RootElement);
                }

                break;
        }
    }

    private static void WriteObject<T>(StringBuilder sb, List<KeyValuePair<string, T>> members, Action<StringBuilder, T> writeValue)
    {
        // Ordinal comparison of strings is exactly comparison of UTF-16 code unit sequences.
        members.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        sb.Append('{');
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                if (string.Equals(members[i - 1].Key, members[i].Key, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Duplicate object member name \"{members[i].Key}\"; JCS requires unique names.");
                }

                sb.Append(',');
            }

            WriteString(sb, members[i].Key);
            sb.Append(':');
            writeValue(sb, members[i].Value);
        }

        sb.Append('}');
    }

    private static void WriteString(StringBuilder sb, string value)
    {
        sb.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case < ' ':
                    sb.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        sb.Append(c).Append(value[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        throw new ArgumentException($"String contains a lone surrogate U+{(int)c:X4} at index {i}.", nameof(value));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    private static string ReadString(Func<string?> read)
    {
        try
        {
            return read() ?? throw new ArgumentException("Expected a JSON string.");
        }
        catch (InvalidOperationException ex)
        {
            // System.Text.Json refuses to unescape lone surrogates such as "\ud800".
            throw new ArgumentException("JSON string is not valid UTF-16 (lone surrogate).", ex);
        }
    }
}
