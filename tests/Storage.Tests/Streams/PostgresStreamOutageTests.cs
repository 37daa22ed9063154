using Governance.Storage.Tests.Postgres;
using Npgsql;

namespace Governance.Storage.Tests.Streams;

/// <summary>A database outage: producing fails with nothing written, delivery resumes by itself afterwards.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresStreamOutageTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Produce_fails_during_an_outage_and_delivery_resumes_when_the_database_returns()
    {
        var schema = await fixture.SchemaForAsync(GetType());
        var target = new NpgsqlConnectionStringBuilder(fixture.ConnectionString);
        await using var proxy = new TcpProxy(target.Host!, target.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(schema.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = proxy.Port,
            Timeout = 2,
            CommandTimeout = 5,
        }.ConnectionString;
        await using var cluster = await StreamTestCluster.StartAsync(viaProxy);
        var key = $"outage-{Guid.NewGuid():N}";
        await cluster.Stream(key).OnNextAsync(new TestDriftEvent(key, 1));
        await StreamTestCluster.WaitUntilAsync(() => AppliedEvents.For(key).Applied.Count == 1, TimeSpan.FromSeconds(10), () => "the first event");

        proxy.Cut();
        await Assert.ThrowsAnyAsync<Exception>(() => cluster.Stream(key).OnNextAsync(new TestDriftEvent(key, 2)));
        await Task.Delay(TimeSpan.FromSeconds(3));
        proxy.Restore();

        await using (var count = schema.CreateCommand("SELECT count(*) FROM stream_queue_events WHERE stream_key = $1"))
        {
            count.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            Assert.Equal(1L, await count.ExecuteScalarAsync());
        }

        await cluster.Stream(key).OnNextAsync(new TestDriftEvent(key, 3));
        await StreamTestCluster.WaitUntilAsync(() => AppliedEvents.For(key).Applied.Count == 2, TimeSpan.FromSeconds(15), () => "the event after the outage");
        Assert.Equal([1, 3], AppliedEvents.For(key).Applied.Select(e => e.N));
    }
}
