using System.Net;
using System.Net.Sockets;
using Governance.Storage.Postgres;
using Npgsql;
using static Governance.Storage.Tests.Contract.TestStates;

namespace Governance.Storage.Tests.Postgres;

/// <summary>A database outage refuses writes without losing or half-applying any, and the storage recovers by itself.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresOutageTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_write_during_an_outage_is_unavailable_and_commits_nothing_and_the_next_write_after_it_succeeds()
    {
        var schema = await fixture.SchemaForAsync(GetType());
        var target = new NpgsqlConnectionStringBuilder(fixture.ConnectionString);
        await using var proxy = new TcpProxy(target.Host!, target.Port);
        await using var viaProxy = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(schema.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = proxy.Port,
            Timeout = 2,
            CommandTimeout = 5,
        });
        await using var storage = new PostgresGrainStorage(viaProxy, TestJsonContext.StorageOptions());
        var grain = NewGrain("outage");
        var state = Staged(null, new TestValue("v1", 1), [Row(grain, 1)]);
        await storage.WriteStateAsync("state", grain, state);

        proxy.Cut();
        state.State.Stage(new TestValue("during", 2), [Row(grain, 2)], null, null);
        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.WriteStateAsync("state", grain, state));
        Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.ReadStateAsync("state", grain, Empty()));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.CheckHealthAsync(default));

        // Nothing acknowledged, nothing committed (read past the proxy).
        Assert.Equal("1", state.ETag);
        Assert.Single(state.State.PendingLedger);
        var direct = Empty();
        await using (var storageDirect = new PostgresGrainStorage(schema, TestJsonContext.StorageOptions()))
        {
            await storageDirect.ReadStateAsync("state", grain, direct);
        }

        Assert.Equal(("1", new TestValue("v1", 1)), (direct.ETag, direct.State.Value));
        Assert.Equal([Row(grain, 1)], await new PostgresLedgerReader(schema).ReadAsync(ChainOf(grain), 0, 10, default));

        // Back: the same storage, the same staged write, no restart.
        proxy.Restore();
        await storage.WriteStateAsync("state", grain, state);
        Assert.Equal("2", state.ETag);
        await storage.CheckHealthAsync(default);
        Assert.Equal([Row(grain, 1), Row(grain, 2)], await new PostgresLedgerReader(viaProxy).ReadAsync(ChainOf(grain), 0, 10, default));
    }

    [Theory]
    [InlineData("read")]
    [InlineData("write")]
    [InlineData("clear")]
    [InlineData("ledger")]
    [InlineData("list")]
    [InlineData("health")]
    public async Task Every_operation_on_an_unreachable_server_raises_StorageUnavailableException(string operation)
    {
        await using var unreachable = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(fixture.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = UnusedPort(),
            Timeout = 5,
        });
        await using var storage = new PostgresGrainStorage(unreachable, TestJsonContext.StorageOptions());
        var grain = NewGrain("unreachable");
        Func<Task> call = operation switch
        {
            "read" => () => storage.ReadStateAsync("state", grain, Empty()),
            "write" => () => storage.WriteStateAsync("state", grain, Staged(null, new TestValue("x", 1), [Row(grain, 1)])),
            "clear" => () => storage.ClearStateAsync("state", grain, Staged("1", new TestValue("x", 1))),
            "ledger" => () => new PostgresLedgerReader(unreachable).ReadAsync("chain", 0, 10, default),
            "list" => () => new PostgresGrainStateListing(unreachable).ListAsync(new GrainListingQuery("model", null, null, null, 10), default),
            "health" => () => storage.CheckHealthAsync(default),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(call);
        Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
    }

    [Fact]
    public async Task A_cancelled_token_cancels_rather_than_reporting_the_store_unavailable()
    {
        await using var storage = new PostgresGrainStorage(await fixture.SchemaForAsync(GetType()), TestJsonContext.StorageOptions());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var grain = NewGrain("cancelled");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => storage.ReadStateAsync("state", grain, Empty(), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => storage.WriteStateAsync("state", grain, Staged(null, new TestValue("x", 0)), cancelled.Token));
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
