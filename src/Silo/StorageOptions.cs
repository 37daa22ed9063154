namespace Governance.Silo;

/// <summary>Where the silo keeps grain state, the ledger and reminders (section <c>Governance:Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Memory = "memory";
    public const string Postgres = "postgres";

    /// <summary><c>memory</c> (default; nothing survives a restart) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = Memory;

    /// <summary>Apply the embedded SQL migrations at start (postgres only). Default: true.</summary>
    public bool Migrate { get; set; } = true;
}
