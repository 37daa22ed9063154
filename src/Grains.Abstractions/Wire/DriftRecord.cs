namespace Governance.Grains.Wire;

/// <summary>A computed drift result for one stream event (<see cref="Seq"/> orders and deduplicates them).</summary>
[GenerateSerializer, Immutable, Alias("gov.DriftRecord")]
public sealed record DriftRecord([property: Id(0)] string EventId, [property: Id(1)] long Seq, [property: Id(2)] string ObservedAt, [property: Id(3)] DriftResult Result);
