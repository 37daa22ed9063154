using System.Text.Json;
using System.Text.Json.Serialization;
using Governance.Storage.Serialization;

namespace Governance.Grains.Models;

/// <summary>The last recorded training output: the candidate for the next submission.</summary>
public sealed record TrainingRecord(
    [property: JsonConverter(typeof(RepeatedStringConverter))] string WeightsHash,
    [property: JsonConverter(typeof(VocabularyKeyDictionaryConverter))] Dictionary<string, double> Metrics,
    JsonElement Card,
    [property: JsonConverter(typeof(RepeatedStringConverter))] string? CorrelationId,
    JsonElement? Metadata,
    [property: JsonConverter(typeof(VocabularyStringConverter))] string TrainedBy,
    DateTimeOffset RecordedAt,
    long EvidenceSeq);
