using System.Text.Json;

namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>Short reads of wire fields, failing with the whole element when a field is missing.</summary>
public static class JsonElementExtensions
{
    public static JsonElement Field(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new Xunit.Sdk.XunitException($"No field '{name}' in {element}");

    /// <summary>The string value of <paramref name="name"/> (null when the field is JSON null).</summary>
    public static string? Text(this JsonElement element, string name)
    {
        var value = element.Field(name);
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => throw new Xunit.Sdk.XunitException($"Field '{name}' is not a string: {element}"),
        };
    }

    public static string[] Texts(this JsonElement element, string name) =>
        [.. element.Field(name).EnumerateArray().Select(v => v.GetString()!)];
}
