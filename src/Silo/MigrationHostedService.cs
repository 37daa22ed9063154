using Governance.Storage.Migrations;
using Npgsql;

namespace Governance.Silo;

/// <summary>Applies the embedded schema migrations before the silo starts (unless <c>Governance:Storage:Migrate=false</c>).</summary>
internal sealed class MigrationHostedService(string connectionString, ILoggerFactory loggers) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new PostgresMigrator(dataSource, loggers.CreateLogger<PostgresMigrator>()).MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
