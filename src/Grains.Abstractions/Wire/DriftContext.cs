namespace Governance.Grains.Wire;

/// <summary>
/// What a drift comparison needs from the model: its training baseline and the profile in force;
/// and how far its drift stream was applied (<see cref="LastSeq"/>, 0 when none).
/// </summary>
public sealed record DriftContext(IReadOnlyDictionary<string, double>? TrainingMetrics, string Profile, long LastSeq, long Observations);
