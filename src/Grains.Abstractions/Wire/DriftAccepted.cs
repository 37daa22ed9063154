namespace Governance.Grains.Wire;

/// <summary>The answer to POST /v1/models/{id}/drift: the observation is on the stream.</summary>
public sealed record DriftAccepted(string EventId);
