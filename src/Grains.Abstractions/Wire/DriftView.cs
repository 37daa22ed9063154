namespace Governance.Grains.Wire;

/// <summary>The latest drift observation of a model, its result and the alert it raised (if drifted).</summary>
[GenerateSerializer, Immutable, Alias("gov.DriftView")]
public sealed record DriftView([property: Id(0)] string EventId, [property: Id(1)] string ObservedAt, [property: Id(2)] DriftResult Result, [property: Id(3)] DriftAlert? Alert);
