namespace Governance.Grains.Expiry;

/// <summary>The expiry catch-up (<c>Governance:Expiry</c>).</summary>
public sealed class ExpiryCatchUpOptions
{
    /// <summary>How often each silo asks the stored state for live approvals past their expiry.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How soon the next round comes when some models could not be told (typically those a silo held that died
    /// and is not yet declared dead): once it is, they are activated elsewhere, and the next round expires them.
    /// Doubles while rounds keep failing, up to <see cref="Interval"/>; back to this when the ring changes.
    /// </summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Approvals told per round, at most.</summary>
    public int BatchSize { get; set; } = 500;
}
