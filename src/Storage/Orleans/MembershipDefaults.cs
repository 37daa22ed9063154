using Orleans.Configuration;

namespace Governance.Storage;

/// <summary>
/// The cluster's failure-detection timings unless <c>Orleans:Membership:*</c> says otherwise (DESIGN
/// §4 "Cluster"). Orleans' own defaults took 7–14 s to declare a SIGKILLed silo dead here; these took
/// under 1 s (a closed connection is noticed at once) and about 8.5 s for a hung silo. What they trade:
/// a short probe timeout and a single vote declare a silo dead sooner, and also a silo that merely
/// stalls for a few seconds (a long GC pause, a starved machine): it then restarts and rejoins, its
/// grains move. Raise <c>ProbeTimeout</c> and <c>NumVotesForDeathDeclaration</c> on busy machines.
/// </summary>
public static class MembershipDefaults
{
    public static void Apply(ClusterMembershipOptions options)
    {
        // A probe that gets no answer within this counts as missed.
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        // Missed probes in a row before a silo suspects another.
        options.NumMissedProbesLimit = 2;
        // Suspicions needed to declare a silo dead; 1 lets any one silo decide.
        options.NumVotesForDeathDeclaration = 1;
        // How long a suspicion counts towards a death declaration.
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
        // How often a silo writes its I-am-alive time (read by silos that start, and by clients' gateway lists).
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        // How often a silo reads the membership table even with no change gossiped to it.
        options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
    }
}
