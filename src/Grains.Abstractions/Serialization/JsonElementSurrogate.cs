namespace Governance.Grains.Serialization;

/// <summary>How a <see cref="System.Text.Json.JsonElement"/> crosses a grain boundary: as its raw JSON text.</summary>
[GenerateSerializer, Immutable, Alias("gov.JsonElement")]
public readonly record struct JsonElementSurrogate([property: Id(0)] string Json);
