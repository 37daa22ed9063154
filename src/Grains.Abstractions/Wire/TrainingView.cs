using System.Text.Json;

namespace Governance.Grains.Wire;

/// <summary>The recorded training output.</summary>
[GenerateSerializer, Immutable, Alias("gov.TrainingView")]
public sealed record TrainingView(
    [property: Id(0)] string ModelId,
    [property: Id(1)] string WeightsHash,
    [property: Id(2)] IReadOnlyDictionary<string, double> Metrics,
    [property: Id(3)] JsonElement Card,
    [property: Id(4)] string? CorrelationId,
    [property: Id(5)] JsonElement? Metadata,
    [property: Id(6)] string TrainedBy,
    [property: Id(7)] string RecordedAt,
    [property: Id(8)] long EvidenceSeq);
