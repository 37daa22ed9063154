using System.Text.Json;
using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>POST /v1/models/{id}/training.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TrainingOutputRequest(
    string? WeightsHash,
    Dictionary<string, double>? Metrics,
    JsonElement? Card,
    string? CorrelationId,
    JsonElement? Metadata);
