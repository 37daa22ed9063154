using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>POST /v1/models/{id}/drift. The baseline is the recorded training metrics unless given.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DriftObservationRequest(
    Dictionary<string, double>? ServingMetrics,
    Dictionary<string, double>? TrainingMetrics,
    DistributionSample? Distribution);
