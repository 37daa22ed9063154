using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Governance.Storage.Serialization;

/// <summary>
/// Reads a stored list as an array of its exact length, and an empty one as the shared empty array,
/// instead of a growable list per state; writes it as the default converter does.
/// </summary>
public sealed class CompactListConverter<T> : JsonConverter<IReadOnlyList<T>>
{
    public override bool HandleNull => false;

    public override IReadOnlyList<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected an array of {typeof(T).Name}, not {reader.TokenType}.");
        }

        var element = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        List<T>? items = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            (items ??= []).Add(JsonSerializer.Deserialize(ref reader, element)!);
        }

        return items is null ? [] : items.ToArray();
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options)
    {
        var element = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        writer.WriteStartArray();
        foreach (var item in value)
        {
            JsonSerializer.Serialize(writer, item, element);
        }

        writer.WriteEndArray();
    }
}
