namespace Governance.Grains.Models;

/// <summary>The statuses of a model (DESIGN §5.1).</summary>
public static class ApprovalStatus
{
    public const string Trained = "trained";
    public const string Pending = "pending";
    public const string QuorumReached = "quorum_reached";
    public const string Deployed = "deployed";
    public const string Revoked = "revoked";
    public const string Expired = "expired";

    /// <summary>An approval in one of these statuses can still be signed, deployed, revoked or expire.</summary>
    public static bool IsLive(string status) => status is Pending or QuorumReached or Deployed;
}
