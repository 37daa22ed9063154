namespace Governance.Storage;

/// <summary>Names under which the providers of this project are registered with Orleans.</summary>
public static class GovernanceStorageNames
{
    /// <summary>The grain storage of the model and key grains (state and ledger in one transaction).</summary>
    public const string GrainStorage = "governance";

    /// <summary>The name of the persistent stream provider that carries the drift stream.</summary>
    public const string StreamProvider = "drift";

    /// <summary>
    /// The service key of the keyed <c>NpgsqlDataSource</c> singleton that the PostgreSQL providers of
    /// this project share (grain storage, stream adapter, migrator). The first registration wins.
    /// </summary>
    public const string DataSource = "governance";
}
