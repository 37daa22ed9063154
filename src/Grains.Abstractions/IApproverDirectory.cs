namespace Governance.Grains;

/// <summary>
/// Which principals are configured approvers: only they get keys registered. The host that knows the
/// configured principals provides it (the silo, from the same configuration that maps tokens to
/// principals); the grains ask it, so the rule holds whoever calls them.
/// </summary>
public interface IApproverDirectory
{
    /// <summary>True when <paramref name="principal"/> is configured with the <c>approver</c> role.</summary>
    bool IsApprover(string principal);
}
