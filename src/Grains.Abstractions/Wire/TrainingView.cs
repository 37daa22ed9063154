using System.Text.Json;

namespace Governance.Grains.Wire;

/// <summary>The recorded training output.</summary>
public sealed record TrainingView(
    string ModelId,
    string WeightsHash,
    IReadOnlyDictionary<string, double> Metrics,
    JsonElement Card,
    string? CorrelationId,
    JsonElement? Metadata,
    string TrainedBy,
    string RecordedAt,
    long EvidenceSeq);
