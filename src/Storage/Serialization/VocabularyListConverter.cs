using System.Text.Json;
using System.Text.Json.Serialization;

namespace Governance.Storage.Serialization;

/// <summary>
/// Reads a stored list of vocabulary strings (environments, scopes) as an array of its exact length
/// whose strings are shared (<see cref="SharedStrings"/>); writes it as the default converter does.
/// </summary>
public sealed class VocabularyListConverter : JsonConverter<IReadOnlyList<string>>
{
    public override bool HandleNull => false;

    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected an array of strings, not {reader.TokenType}.");
        }

        List<string>? items = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            (items ??= []).Add(SharedStrings.ReadVocabulary(ref reader)
                ?? throw new JsonException("Expected a string, not null."));
        }

        return items is null ? [] : items.ToArray();
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}
