namespace Governance.Grains.Wire;

/// <summary>What a drift comparison needs from the model: its training baseline and the profile in force.</summary>
public sealed record DriftContext(IReadOnlyDictionary<string, double>? TrainingMetrics, string Profile);
