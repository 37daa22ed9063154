using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>POST /v1/models/{id}/drift. The baseline is the recorded training metrics unless given.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[GenerateSerializer, Alias("gov.DriftObservationRequest")]
public sealed record DriftObservationRequest(
    [property: Id(0)] Dictionary<string, double>? ServingMetrics,
    [property: Id(1)] Dictionary<string, double>? TrainingMetrics,
    [property: Id(2)] DistributionSample? Distribution);
