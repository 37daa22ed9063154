using Governance.Runtime.Postgres;
using Governance.Storage.Migrations;

namespace Governance.Runtime.Hosting;

/// <summary>Applies the embedded SQL migrations at start.</summary>
internal sealed class PostgresMigrationInitializer(PostgresMigrator migrator) : IStorageInitializer
{
    public Task InitializeAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);
}
