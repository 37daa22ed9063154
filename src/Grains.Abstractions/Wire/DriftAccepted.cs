namespace Governance.Grains.Wire;

/// <summary>The answer to POST /v1/models/{id}/drift: the observation is on the stream.</summary>
[GenerateSerializer, Immutable, Alias("gov.DriftAccepted")]
public sealed record DriftAccepted([property: Id(0)] string EventId);
