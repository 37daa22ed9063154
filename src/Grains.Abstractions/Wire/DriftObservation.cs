namespace Governance.Grains.Wire;

/// <summary>
/// A drift observation as it travels on the drift stream: self-contained (the baseline is captured
/// when it is posted), so replaying it gives the same result.
/// </summary>
public sealed record DriftObservation(
    int SchemaVersion,
    string EventId,
    string ModelId,
    string ObservedBy,
    string ObservedAt,
    IReadOnlyDictionary<string, double> ServingMetrics,
    IReadOnlyDictionary<string, double> TrainingMetrics,
    DistributionSample? Distribution);
