namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>The bearer tokens of the development principals (DESIGN §7), accepted in the Development environment.</summary>
public static class DevTokens
{
    public const string Trainer = "dev-trainer-token";
    public const string Alice = "dev-alice-token";
    public const string Bob = "dev-bob-token";
    public const string Carol = "dev-carol-token";
    public const string Deployer = "dev-deployer-token";
    public const string Monitor = "dev-monitor-token";
    public const string Auditor = "dev-auditor-token";
    public const string Admin = "dev-admin-token";
    public const string Registry = "dev-registry-token";
    public const string Omni = "dev-omni-token";
}
