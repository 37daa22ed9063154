using System.Text.Json;

namespace Governance.Grains.Models;

/// <summary>The last recorded training output: the candidate for the next submission.</summary>
public sealed record TrainingRecord(
    string WeightsHash,
    Dictionary<string, double> Metrics,
    JsonElement Card,
    string? CorrelationId,
    JsonElement? Metadata,
    string TrainedBy,
    DateTimeOffset RecordedAt,
    long EvidenceSeq);
