namespace Governance.Gateway.Authentication;

/// <summary>The development principals of DESIGN §7; accepted only in the Development environment.</summary>
public static class DevelopmentPrincipals
{
    public static IReadOnlyList<(string Id, string[] Roles, string Token)> All { get; } =
    [
        ("trainer-1", ["trainer"], "dev-trainer-token"),
        ("alice", ["approver"], "dev-alice-token"),
        ("bob", ["approver"], "dev-bob-token"),
        ("carol", ["approver"], "dev-carol-token"),
        ("deployer-1", ["deployer"], "dev-deployer-token"),
        ("monitor-1", ["monitor"], "dev-monitor-token"),
        ("auditor-1", ["auditor"], "dev-auditor-token"),
        ("admin", ["admin"], "dev-admin-token"),
        ("registry-1", ["registry"], "dev-registry-token"),
        ("omni", ["trainer", "approver", "deployer"], "dev-omni-token"),
    ];
}
