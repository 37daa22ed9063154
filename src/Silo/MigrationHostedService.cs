using Governance.Storage.Migrations;
using Npgsql;

namespace Governance.Silo;

/// <summary>
/// Applies the embedded schema migrations before the silo starts (unless <c>Governance:Storage:Migrate=false</c>),
/// on the data source the providers share, so its first connection is the one they then reuse.
/// </summary>
internal sealed class MigrationHostedService(NpgsqlDataSource dataSource, ILoggerFactory loggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        new PostgresMigrator(dataSource, loggers.CreateLogger<PostgresMigrator>()).MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
