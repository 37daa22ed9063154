using Governance.Storage;
using Governance.Storage.Migrations;
using Npgsql;

namespace Governance.Silo;

/// <summary>
/// Applies the embedded schema migrations (unless <c>Governance:Storage:Migrate=false</c>) on the data source
/// the providers share. Run at <see cref="ServiceLifecycleStage.RuntimeStorageServices"/>: before the membership
/// table is first read (<see cref="ServiceLifecycleStage.RuntimeGrainServices"/>), so before the silo joins its
/// cluster and before any grain can activate and write.
/// </summary>
internal sealed class MigrationStartupTask(
    [FromKeyedServices(GovernanceStorageNames.DataSource)] NpgsqlDataSource dataSource, ILogger<PostgresMigrator> logger) : IStartupTask
{
    public Task Execute(CancellationToken cancellationToken) => new PostgresMigrator(dataSource, logger).MigrateAsync(cancellationToken);
}
