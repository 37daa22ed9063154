using System.Net;
using System.Net.Sockets;
using Governance.Runtime.Postgres;
using Governance.Runtime.Reminders;
using Governance.Runtime.Storage;
using Npgsql;

namespace Governance.Runtime.Tests.Postgres;

/// <summary>Every operation against a server that cannot be reached reports the store unavailable.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresUnavailableTests(PostgresFixture fixture) : IAsyncLifetime
{
    private static readonly GrainId Grain = new("unavailable-test", "k");
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private NpgsqlDataSource _unreachable = null!;

    public static TheoryData<string> Operations =>
        ["read", "write", "ledger", "list", "health", "upsert", "due", "complete"];

    public Task InitializeAsync()
    {
        // The fixture's server settings, but a port nothing listens on.
        var builder = new NpgsqlConnectionStringBuilder(fixture.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = UnusedPort(),
            Timeout = 5,
        };
        _unreachable = NpgsqlDataSource.Create(builder);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _unreachable.DisposeAsync();

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task An_unreachable_server_raises_StorageUnavailableException(string operation)
    {
        var store = new PostgresStore(_unreachable);
        Func<Task> call = operation switch
        {
            "read" => () => store.ReadAsync(Grain, default),
            "write" => () => store.WriteAsync(Grain, new GrainWrite("{}", 0, [], [], null, null), default),
            "ledger" => () => store.ReadLedgerAsync("chain", 0, 10, default),
            "list" => () => store.ListAsync(new GrainListingQuery(Grain.Type, null, null, null, 10), default),
            "health" => () => store.CheckHealthAsync(default),
            "upsert" => () => store.UpsertAsync(Grain, new ReminderChange("r", T0), default),
            "due" => () => store.GetDueAsync([Grain.Partition], T0, 10, default),
            "complete" => () => store.CompleteAsync(new DueReminder(Grain, "r", T0, null), null, default),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(call);
        Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
    }

    [Fact]
    public async Task A_server_that_terminates_the_session_mid_transaction_raises_StorageUnavailableException()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var store = new PostgresStore(dataSource);

        // Hold a transaction open on one connection, terminate its backend from another, and use it.
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var pidCommand = new NpgsqlCommand("SELECT pg_backend_pid()", connection, transaction))
        {
            var pid = (int)(await pidCommand.ExecuteScalarAsync())!;
            await using var terminate = fixture.Admin.CreateCommand("SELECT pg_terminate_backend($1, 5000)");
            terminate.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pid });
            Assert.Equal(true, await terminate.ExecuteScalarAsync());
        }

        await using var next = new NpgsqlCommand("SELECT 1", connection, transaction);
        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => next.ExecuteScalarAsync());
        Assert.True(PostgresStore.IsUnavailable(error, default), $"{error.GetType().Name}: {error.Message}");

        // The store itself keeps working on fresh connections.
        await store.CheckHealthAsync(default);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
