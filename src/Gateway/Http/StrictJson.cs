using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Governance.Grains;

namespace Governance.Gateway.Http;

/// <summary>
/// What a request body must be beyond JSON syntax, checked in one pass before it is bound: every
/// string (names too) is valid UTF-8 that decodes to valid UTF-16 (no lone surrogate escapes), no
/// object repeats a name, every number is a finite double, and nesting stays within
/// <see cref="MaxDepth"/> (so whatever is accepted can also be stored and returned). A violation is
/// a <see cref="GovernanceException"/> (400) naming the field.
/// </summary>
internal static class StrictJson
{
    /// <summary>
    /// The deepest nesting a body may have. Cards and metadata sit one level down and are stored two
    /// levels deeper still, well inside the serializer's limit of 64.
    /// </summary>
    public const int MaxDepth = 32;

    public static void Validate(ReadOnlySpan<byte> json)
    {
        // The reader's own limit sits above ours, so ours is the one that answers (naming the field).
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth + 2 });
        // The segments of the current value's path; a field name is built only for a refusal.
        var path = new List<Segment>();
        var names = new Stack<HashSet<string>?>();
        var indexes = new Stack<int>();
        string? pendingName = null;
        while (Read(ref reader, path, pendingName))
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    Enter(ref pendingName, path, indexes);
                    if (reader.CurrentDepth >= MaxDepth)
                    {
                        throw GovernanceException.Invalid(path.Count > 0 ? Field(path[..1]) : "body", $"The body may nest at most {MaxDepth} levels deep.");
                    }

                    names.Push(reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null);
                    indexes.Push(reader.TokenType == JsonTokenType.StartArray ? 0 : -1);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    names.Pop();
                    indexes.Pop();
                    Leave(path, indexes);
                    break;
                case JsonTokenType.PropertyName:
                    var name = Text(ref reader) ?? throw GovernanceException.Invalid(
                        Field(path), "A property name is not valid UTF-8 or holds a lone surrogate escape.");
                    if (!names.Peek()!.Add(name))
                    {
                        throw GovernanceException.Invalid(Field(path, name), $"Property '{name}' appears twice in one object.");
                    }

                    pendingName = name;
                    break;
                case JsonTokenType.String:
                    Enter(ref pendingName, path, indexes);
                    if (Text(ref reader) is null)
                    {
                        throw GovernanceException.Invalid(Field(path), "The string is not valid UTF-8 or holds a lone surrogate escape.");
                    }

                    Leave(path, indexes);
                    break;
                case JsonTokenType.Number:
                    Enter(ref pendingName, path, indexes);
                    if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
                    {
                        throw GovernanceException.Invalid(Field(path), "The number is outside the range of a double.");
                    }

                    Leave(path, indexes);
                    break;
                default:
                    Enter(ref pendingName, path, indexes);
                    Leave(path, indexes);
                    break;
            }
        }
    }

    /// <summary>The next token; a syntax error names the field it sits in (or the body).</summary>
    private static bool Read(ref Utf8JsonReader reader, List<Segment> path, string? pendingName)
    {
        try
        {
            return reader.Read();
        }
        catch (JsonException exception)
        {
            var where = $"line {exception.LineNumber + 1}, byte {exception.BytePositionInLine}";
            throw pendingName is null && path.Count == 0
                ? GovernanceException.Invalid("body", $"The body is not valid JSON ({where}).")
                : GovernanceException.Invalid(Field(path, pendingName), $"Field '{Field(path, pendingName)}' does not hold valid JSON ({where}).");
        }
    }

    /// <summary>The unescaped text of the current string or name, or null when it is not valid Unicode.</summary>
    private static string? Text(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return Utf8.IsValid(reader.ValueSpan) ? Encoding.UTF8.GetString(reader.ValueSpan) : null;
        }

        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A value starts: its path segment is the pending property name, or its index in the enclosing array.</summary>
    private static void Enter(ref string? pendingName, List<Segment> path, Stack<int> indexes)
    {
        if (pendingName is not null)
        {
            path.Add(new Segment(pendingName, -1));
            pendingName = null;
        }
        else if (indexes.Count > 0 && indexes.Peek() >= 0)
        {
            path.Add(new Segment(null, indexes.Peek()));
        }
    }

    /// <summary>A value ended: drop its path segment; inside an array, count it.</summary>
    private static void Leave(List<Segment> path, Stack<int> indexes)
    {
        if (indexes.Count == 0)
        {
            return;
        }

        if (path.Count > 0)
        {
            path.RemoveAt(path.Count - 1);
        }

        if (indexes.Peek() >= 0)
        {
            indexes.Push(indexes.Pop() + 1);
        }
    }

    /// <summary><c>card.tags[1]</c>; an index at the top is <c>body[0]</c>; no segment at all is <c>body</c>.</summary>
    private static string Field(List<Segment> path, string? name = null)
    {
        var field = new StringBuilder();
        foreach (var segment in name is null ? path : [.. path, new Segment(name, -1)])
        {
            if (segment.Name is null)
            {
                field.Append(field.Length == 0 ? "body" : "").Append('[').Append(segment.Index).Append(']');
            }
            else
            {
                field.Append(field.Length == 0 ? "" : ".").Append(segment.Name);
            }
        }

        return field.Length == 0 ? "body" : field.ToString();
    }

    /// <summary>A property name, or (when <see cref="Name"/> is null) an index in an array.</summary>
    private readonly record struct Segment(string? Name, int Index);
}
