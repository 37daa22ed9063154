namespace Governance.Grains.Keys;

/// <summary>A fixed set of approvers, for hosts without configured principals (tests, benchmarks).</summary>
public sealed class FixedApproverDirectory(IEnumerable<string> approvers) : IApproverDirectory
{
    private readonly HashSet<string> _approvers = new(approvers, StringComparer.Ordinal);

    public bool IsApprover(string principal) => _approvers.Contains(principal);
}
