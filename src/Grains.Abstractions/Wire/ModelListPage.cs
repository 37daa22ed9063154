namespace Governance.Grains.Wire;

/// <summary>A page of the model listing.</summary>
public sealed record ModelListPage(IReadOnlyList<ModelSummary> Models, string? NextPageToken);
