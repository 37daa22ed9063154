using System.Diagnostics;
using Governance.Storage.Tests.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace Governance.Storage.Tests.Streams;

/// <summary>The PostgreSQL stream provider on an Orleans test cluster: commit before acknowledgement, order, exactly-once application, latency.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresStreamDeliveryTests(PostgresFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_event_is_committed_before_OnNextAsync_returns_and_applied_once_in_order_per_stream()
    {
        var schema = await fixture.SchemaForAsync(GetType());
        await using var cluster = await StreamTestCluster.StartAsync(schema.ConnectionString);
        var prefix = $"order-{Guid.NewGuid():N}-";
        var keys = Enumerable.Range(0, 24).Select(i => prefix + i).ToList();
        const int PerStream = 25;

        await Task.WhenAll(keys.Select(async key =>
        {
            var stream = cluster.Stream(key);
            for (var n = 1; n <= PerStream; n++)
            {
                await stream.OnNextAsync(new TestDriftEvent(key, n));
                await using var count = schema.CreateCommand("SELECT count(*) FROM stream_queue_events WHERE stream_key = $1");
                count.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
                Assert.Equal((long)n, await count.ExecuteScalarAsync());
            }
        }));

        await StreamTestCluster.WaitUntilAsync(
            () => keys.All(key => AppliedEvents.For(key).Applied.Count == PerStream), TimeSpan.FromSeconds(30),
            () => $"{keys.Sum(key => AppliedEvents.For(key).Applied.Count)} of {keys.Count * PerStream} events applied");
        foreach (var key in keys)
        {
            var ledger = AppliedEvents.For(key);
            Assert.Equal(Enumerable.Range(1, PerStream), ledger.Applied.Select(e => e.N));
            Assert.Equal(0, ledger.Duplicates);
        }

        await using var queues = schema.CreateCommand(
            "SELECT count(DISTINCT queue_id) FROM stream_queue_events WHERE stream_key LIKE $1");
        queues.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefix + "%" });
        Assert.True((long)(await queues.ExecuteScalarAsync())! >= 4, "the streams should spread over several queues");
    }

    [Fact]
    public async Task An_event_on_an_idle_silo_is_applied_within_two_seconds()
    {
        var schema = await fixture.SchemaForAsync(GetType());
        await using var cluster = await StreamTestCluster.StartAsync(schema.ConnectionString);
        var key = $"latency-{Guid.NewGuid():N}";
        var stream = cluster.Stream(key);
        await stream.OnNextAsync(new TestDriftEvent(key, 0));
        await StreamTestCluster.WaitUntilAsync(() => AppliedEvents.For(key).Applied.Count == 1, TimeSpan.FromSeconds(10), () => "the warm-up event");

        var latencies = new List<double>();
        for (var n = 1; n <= 40; n++)
        {
            await Task.Delay(100);
            var sent = Stopwatch.GetTimestamp();
            await stream.OnNextAsync(new TestDriftEvent(key, n));
            await StreamTestCluster.WaitUntilAsync(
                () => AppliedEvents.For(key).Applied.Count == n + 1, TimeSpan.FromSeconds(2), () => $"event {n} of {key}");
            latencies.Add(Stopwatch.GetElapsedTime(sent, AppliedEvents.For(key).Applied[^1].AppliedAt).TotalMilliseconds);
        }

        latencies.Sort();
        output.WriteLine($"produce → applied on an idle silo: p50 {latencies[latencies.Count / 2]:0.0} ms, " +
            $"p99 {latencies[(int)(latencies.Count * 0.99)]:0.0} ms, max {latencies[^1]:0.0} ms ({latencies.Count} events)");
        Assert.True(latencies[^1] < 2_000);
    }
}
