using System.Text.Json;
using System.Text.Json.Serialization;

namespace Governance.Storage.Serialization;

/// <summary>
/// Reads a string that a state repeats within itself (a weights hash, a correlation id) as one
/// instance per state (<see cref="SharedStrings.BeginState"/>); writes it as usual.
/// </summary>
public sealed class RepeatedStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SharedStrings.ReadRepeated(ref reader);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
