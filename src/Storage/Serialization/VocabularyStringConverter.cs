using System.Text.Json;
using System.Text.Json.Serialization;

namespace Governance.Storage.Serialization;

/// <summary>
/// Reads a string of the domain's vocabulary (a principal, status, profile, environment, scope) as
/// one instance shared by every state that holds it (<see cref="SharedStrings"/>); writes it as usual.
/// </summary>
public sealed class VocabularyStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SharedStrings.ReadVocabulary(ref reader);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
