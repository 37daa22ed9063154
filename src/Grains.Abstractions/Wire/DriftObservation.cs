namespace Governance.Grains.Wire;

/// <summary>
/// A drift observation as it travels on the drift stream: self-contained (the baseline is captured
/// when it is posted), so replaying it gives the same result.
/// </summary>
[GenerateSerializer, Immutable, Alias("gov.DriftObservation")]
public sealed record DriftObservation(
    [property: Id(0)] int SchemaVersion,
    [property: Id(1)] string EventId,
    [property: Id(2)] string ModelId,
    [property: Id(3)] string ObservedBy,
    [property: Id(4)] string ObservedAt,
    [property: Id(5)] IReadOnlyDictionary<string, double> ServingMetrics,
    [property: Id(6)] IReadOnlyDictionary<string, double> TrainingMetrics,
    [property: Id(7)] DistributionSample? Distribution);
