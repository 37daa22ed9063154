namespace Governance.Grains;

/// <summary>The roles a principal can hold (DESIGN §5.2).</summary>
public static class Roles
{
    public const string Trainer = "trainer";
    public const string Approver = "approver";
    public const string Deployer = "deployer";
    public const string Monitor = "monitor";
    public const string Auditor = "auditor";
    public const string Admin = "admin";
    public const string Registry = "registry";

    public static readonly IReadOnlySet<string> All =
        new HashSet<string>([Trainer, Approver, Deployer, Monitor, Auditor, Admin, Registry], StringComparer.Ordinal);
}
