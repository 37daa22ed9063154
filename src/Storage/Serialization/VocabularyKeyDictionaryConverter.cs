using System.Text.Json;
using System.Text.Json.Serialization;

namespace Governance.Storage.Serialization;

/// <summary>
/// Reads a stored map of numbers (metrics) with its keys shared (<see cref="SharedStrings"/>);
/// writes it as the default converter does. Keys compare ordinally, as the default's do.
/// </summary>
public sealed class VocabularyKeyDictionaryConverter : JsonConverter<Dictionary<string, double>>
{
    public override bool HandleNull => false;

    public override Dictionary<string, double>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected an object of numbers, not {reader.TokenType}.");
        }

        var map = new Dictionary<string, double>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = SharedStrings.ReadVocabulary(ref reader)!;
            reader.Read();
            map[key] = reader.GetDouble();
        }

        return map;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, double> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, number) in value)
        {
            writer.WritePropertyName(key);
            writer.WriteNumberValue(number);
        }

        writer.WriteEndObject();
    }
}
