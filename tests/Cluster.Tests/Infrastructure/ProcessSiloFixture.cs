namespace Governance.Cluster.Tests.Infrastructure;

/// <summary>
/// One silo process on PostgreSQL for a whole test class, in a schema of its own that is dropped and
/// recreated when the class starts (the silo applies the migrations itself).
/// </summary>
public class ProcessSiloFixture<TTests> : IAsyncLifetime
{
    public ProcessSiloFixture()
    {
        Schema = "cluster_tests_" + typeof(TTests).Name.ToLowerInvariant();
        ConnectionString = TestDatabase.ConnectionStringFor(Schema);
        Silo = new SiloProcess(ConnectionString, Schema);
    }

    public string Schema { get; }

    public string ConnectionString { get; }

    public SiloProcess Silo { get; }

    public virtual async Task InitializeAsync()
    {
        await TestDatabase.ResetSchemaAsync(Schema);
        await Silo.StartAsync();
    }

    public virtual async Task DisposeAsync() => await Silo.DisposeAsync();
}
