namespace Governance.Grains.Wire;

/// <summary>
/// What a drift comparison needs from the model: its training baseline and the profile in force;
/// and how far its drift stream was applied (<see cref="LastSeq"/>, 0 when none).
/// </summary>
[GenerateSerializer, Immutable, Alias("gov.DriftContext")]
public sealed record DriftContext([property: Id(0)] IReadOnlyDictionary<string, double>? TrainingMetrics, [property: Id(1)] string Profile, [property: Id(2)] long LastSeq, [property: Id(3)] long Observations);
