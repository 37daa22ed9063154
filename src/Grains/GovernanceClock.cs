namespace Governance.Grains;

/// <summary>
/// The clock of the governance domain: a <see cref="TimeProvider"/> registered under
/// <see cref="ServiceKey"/> (the system clock unless a host or test replaces it). It is keyed so a
/// test can move the domain's time without moving Orleans' own timers, which read the unkeyed one.
/// </summary>
public static class GovernanceClock
{
    public const string ServiceKey = "governance";
}
