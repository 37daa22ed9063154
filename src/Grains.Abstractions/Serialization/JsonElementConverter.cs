using System.Text.Json;

namespace Governance.Grains.Serialization;

/// <summary>Lets Orleans serialize and copy <see cref="JsonElement"/> values of the wire types.</summary>
[RegisterConverter]
public sealed class JsonElementConverter : IConverter<JsonElement, JsonElementSurrogate>
{
    public JsonElement ConvertFromSurrogate(in JsonElementSurrogate surrogate)
    {
        using var document = JsonDocument.Parse(surrogate.Json);
        return document.RootElement.Clone();
    }

    public JsonElementSurrogate ConvertToSurrogate(in JsonElement value) => new(value.GetRawText());
}
