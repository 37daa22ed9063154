using Governance.Grains.Calls;

namespace Governance.Grains.Tests.Calls;

/// <summary>Principals with the roles DESIGN §7 gives them, each behind its own token, as the silo's principal directory holds them.</summary>
public sealed class RoleCallers : ICallerDirectory
{
    private static readonly Dictionary<string, CallerIdentity> ByToken = new(StringComparer.Ordinal)
    {
        ["t-trainer"] = Identity("trainer-1", Roles.Trainer),
        ["t-alice"] = Identity("alice", Roles.Approver),
        ["t-bob"] = Identity("bob", Roles.Approver),
        ["t-deployer"] = Identity("deployer-1", Roles.Deployer),
        ["t-auditor"] = Identity("auditor-1", Roles.Auditor),
        ["t-registry"] = Identity("registry-1", Roles.Registry),
        ["t-admin"] = Identity("admin", Roles.Admin),
        ["t-omni"] = Identity("omni", Roles.Trainer, Roles.Approver, Roles.Deployer),
    };

    public CallerIdentity? Find(ReadOnlySpan<char> token) => ByToken.GetValueOrDefault(token.ToString());

    private static CallerIdentity Identity(string principal, params string[] roles) => new(principal, roles.ToHashSet(StringComparer.Ordinal));
}
