namespace Governance.Grains.Wire;

/// <summary>A page of the model listing.</summary>
[GenerateSerializer, Immutable, Alias("gov.ModelListPage")]
public sealed record ModelListPage([property: Id(0)] IReadOnlyList<ModelSummary> Models, [property: Id(1)] string? NextPageToken);
