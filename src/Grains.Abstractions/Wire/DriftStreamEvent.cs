namespace Governance.Grains.Wire;

/// <summary>A drift observation as its model's drift stream delivered it: <see cref="Seq"/> orders and deduplicates them.</summary>
[GenerateSerializer, Immutable, Alias("gov.DriftStreamEvent")]
public sealed record DriftStreamEvent([property: Id(0)] long Seq, [property: Id(1)] DriftObservation Observation);
