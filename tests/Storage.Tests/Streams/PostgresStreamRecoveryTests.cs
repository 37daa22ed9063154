using System.Diagnostics;
using Governance.Storage.Tests.Postgres;
using Xunit.Abstractions;

namespace Governance.Storage.Tests.Streams;

/// <summary>A silo killed mid-stream, and a whole cluster restarted on the same schema: nothing acknowledged is lost, nothing is applied twice.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresStreamRecoveryTests(PostgresFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_a_silo_mid_stream_loses_nothing_and_redelivers_only_what_was_applied()
    {
        var schema = await fixture.SchemaForAsync(GetType());
        await using var cluster = await StreamTestCluster.StartAsync(schema.ConnectionString, silos: 2);
        var keys = Enumerable.Range(0, 30).Select(i => $"kill-{Guid.NewGuid():N}-{i}").ToList();
        const int PerStream = 20;
        long killedAt = 0;

        var producing = Task.WhenAll(keys.Select(async key =>
        {
            var stream = cluster.Stream(key);
            for (var n = 1; n <= PerStream; n++)
            {
                await stream.OnNextAsync(new TestDriftEvent(key, n));
                await Task.Delay(20);
            }
        }));
        await StreamTestCluster.WaitUntilAsync(
            () => keys.Sum(key => AppliedEvents.For(key).Applied.Count) >= keys.Count * PerStream / 3, TimeSpan.FromSeconds(30), () => "a third of the events");
        killedAt = Stopwatch.GetTimestamp();
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos[1]);
        await producing;

        await StreamTestCluster.WaitUntilAsync(
            () => keys.All(key => AppliedEvents.For(key).Applied.Count == PerStream), TimeSpan.FromSeconds(60),
            () => $"{keys.Sum(key => AppliedEvents.For(key).Applied.Count)} of {keys.Count * PerStream} events applied");
        var recovered = Stopwatch.GetElapsedTime(killedAt);
        foreach (var key in keys)
        {
            Assert.Equal(Enumerable.Range(1, PerStream), AppliedEvents.For(key).Applied.Select(e => e.N));
        }

        output.WriteLine($"kill of 1 of 2 silos: all {keys.Count * PerStream} events applied {recovered.TotalSeconds:0.00} s after the kill; " +
            $"{keys.Sum(key => AppliedEvents.For(key).Duplicates)} redelivered duplicates skipped by seq");
    }

    [Fact]
    public async Task A_new_cluster_on_the_same_schema_goes_on_after_the_checkpoint()
    {
        var schema = await fixture.SchemaForAsync(GetType());
        var keys = Enumerable.Range(0, 20).Select(i => $"restart-{Guid.NewGuid():N}-{i}").ToList();
        await using (var first = await StreamTestCluster.StartAsync(schema.ConnectionString))
        {
            foreach (var key in keys)
            {
                for (var n = 1; n <= 5; n++)
                {
                    await first.Stream(key).OnNextAsync(new TestDriftEvent(key, n));
                }
            }

            await StreamTestCluster.WaitUntilAsync(
                () => keys.All(key => AppliedEvents.For(key).Applied.Count == 5), TimeSpan.FromSeconds(30), () => "the first cluster's events");
        }

        var started = Stopwatch.GetTimestamp();
        await using var second = await StreamTestCluster.StartAsync(schema.ConnectionString);
        foreach (var key in keys)
        {
            for (var n = 6; n <= 10; n++)
            {
                await second.Stream(key).OnNextAsync(new TestDriftEvent(key, n));
            }
        }

        await StreamTestCluster.WaitUntilAsync(
            () => keys.All(key => AppliedEvents.For(key).Applied.Count == 10), TimeSpan.FromSeconds(30), () => "the second cluster's events");
        foreach (var key in keys)
        {
            Assert.Equal(Enumerable.Range(1, 10), AppliedEvents.For(key).Applied.Select(e => e.N));
        }

        output.WriteLine($"restart: second cluster applied everything {Stopwatch.GetElapsedTime(started).TotalSeconds:0.00} s after it started; " +
            $"{keys.Sum(key => AppliedEvents.For(key).Duplicates)} duplicates skipped");
    }
}
