namespace Governance.Grains.Expiry;

/// <summary>The expiry catch-up (<c>Governance:Expiry</c>).</summary>
public sealed class ExpiryCatchUpOptions
{
    /// <summary>How often each silo asks the stored state for live approvals past their expiry.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Approvals told per round, at most.</summary>
    public int BatchSize { get; set; } = 500;
}
