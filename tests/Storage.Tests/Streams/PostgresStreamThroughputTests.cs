using System.Diagnostics;
using System.Globalization;
using Governance.Storage.Tests.Postgres;
using Xunit.Abstractions;

namespace Governance.Storage.Tests.Streams;

/// <summary>
/// Ingest through the PostgreSQL stream provider on one silo, printed, never asserted beyond
/// completeness: 2,000 events over 300 streams by default; set GOVERNANCE_TEST_STREAM_EVENTS (e.g.
/// 20000) for a longer run.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresStreamThroughputTests(PostgresFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Events_from_32_producers_over_300_streams_are_all_applied()
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("GOVERNANCE_TEST_STREAM_EVENTS"), CultureInfo.InvariantCulture, out var configured)
            ? configured
            : 2_000;
        var schema = await fixture.SchemaForAsync(GetType());
        await using var cluster = await StreamTestCluster.StartAsync(schema.ConnectionString);
        var keys = Enumerable.Range(0, 300).Select(i => $"bench-{Guid.NewGuid():N}-{i}").ToArray();
        var next = -1;
        var started = Stopwatch.GetTimestamp();

        // 32 producers, each owning its share of the streams (so a stream's events are produced in order).
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async producer =>
        {
            var mine = keys.Where((_, i) => i % 32 == producer).ToArray();
            var counts = new int[mine.Length];
            int index;
            while ((index = Interlocked.Increment(ref next)) < total)
            {
                var slot = index % mine.Length;
                var key = mine[slot];
                await cluster.Stream(key).OnNextAsync(new TestDriftEvent(key, ++counts[slot]));
            }
        }));
        var produced = Stopwatch.GetElapsedTime(started);
        await StreamTestCluster.WaitUntilAsync(
            () => keys.Sum(key => AppliedEvents.For(key).Applied.Count) == total, TimeSpan.FromSeconds(300),
            () => $"{keys.Sum(key => AppliedEvents.For(key).Applied.Count)} of {total} events applied");
        var applied = Stopwatch.GetElapsedTime(started);
        output.WriteLine(
            $"{total} events over {keys.Length} streams, 32 producers, 1 silo: produced in {produced.TotalSeconds:0.00} s " +
            $"({total / produced.TotalSeconds:0} events/s), all applied after {applied.TotalSeconds:0.00} s " +
            $"({total / applied.TotalSeconds:0} applied events/s)");
        foreach (var key in keys)
        {
            Assert.Equal(0, AppliedEvents.For(key).Duplicates);
        }
    }
}
