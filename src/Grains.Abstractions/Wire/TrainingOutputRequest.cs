using System.Text.Json;
using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>POST /v1/models/{id}/training.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[GenerateSerializer, Alias("gov.TrainingOutputRequest")]
public sealed record TrainingOutputRequest(
    [property: Id(0)] string? WeightsHash,
    [property: Id(1)] Dictionary<string, double>? Metrics,
    [property: Id(2)] JsonElement? Card,
    [property: Id(3)] string? CorrelationId,
    [property: Id(4)] JsonElement? Metadata);
