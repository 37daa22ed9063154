namespace Governance.Grains.Wire;

/// <summary>An alert for a drifted observation, as shown on the model and sent to the webhook.</summary>
public sealed record DriftAlert(
    string ModelId,
    string EventId,
    string? ApprovalId,
    string Severity,
    string Action,
    double DriftSeverity,
    bool Revoked,
    string Message);
