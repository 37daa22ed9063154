using System.Text.Json.Serialization;

namespace Governance.Storage.Tests;

/// <summary>Source-generated JSON of <see cref="TestValue"/>, as the grains project passes its own context.</summary>
[JsonSerializable(typeof(TestValue))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public sealed partial class TestJsonContext : JsonSerializerContext
{
    public static GovernanceStorageOptions StorageOptions() =>
        new() { SerializerOptions = new System.Text.Json.JsonSerializerOptions(Default.Options) };
}
