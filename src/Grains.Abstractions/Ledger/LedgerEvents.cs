namespace Governance.Grains.Ledger;

/// <summary>The event names of the evidence ledger (DESIGN §5.5).</summary>
public static class LedgerEvents
{
    public const string TrainingCompleted = "training_completed";
    public const string PolicyEvaluated = "policy_evaluated";
    public const string ApprovalSubmitted = "approval_submitted";
    public const string SignatureAdded = "signature_added";
    public const string QuorumReached = "quorum_reached";
    public const string ModelDeployed = "model_deployed";
    public const string ApprovalRevoked = "approval_revoked";
    public const string ApprovalSuperseded = "approval_superseded";
    public const string ApprovalExpired = "approval_expired";
    public const string DriftDetected = "drift_detected";
    public const string KeyRegistered = "key_registered";
    public const string KeyRevoked = "key_revoked";
}
