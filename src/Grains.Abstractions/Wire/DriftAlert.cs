namespace Governance.Grains.Wire;

/// <summary>An alert for a drifted observation, as shown on the model and sent to the webhook.</summary>
[GenerateSerializer, Immutable, Alias("gov.DriftAlert")]
public sealed record DriftAlert(
    [property: Id(0)] string ModelId,
    [property: Id(1)] string EventId,
    [property: Id(2)] string? ApprovalId,
    [property: Id(3)] string Severity,
    [property: Id(4)] string Action,
    [property: Id(5)] double DriftSeverity,
    [property: Id(6)] bool Revoked,
    [property: Id(7)] string Message);
