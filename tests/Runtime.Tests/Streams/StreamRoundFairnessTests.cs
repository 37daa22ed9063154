using Governance.Runtime.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Governance.Runtime.Tests.Streams;

/// <summary>
/// When more partitions have news than one delivery round takes, a busy partition cannot keep the
/// others waiting: the partitions served longest ago go first.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StreamRoundFairnessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_partition_with_a_long_backlog_does_not_starve_one_with_a_single_event()
    {
        var streamNamespace = $"fair-{Guid.NewGuid():N}";
        using var host = await StreamProbeHost.StartAsync(streamNamespace, options =>
        {
            // One partition per round, one event per partition: a backlog takes one round per event.
            options.MaxPartitionsPerRound = 1;
            options.ReadBatch = 1;
        });
        var producer = host.Services.GetRequiredService<IStreamProducer>();
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        var busy = $"busy-{Guid.NewGuid():N}";
        var quiet = StreamKeys.OutsidePartitionOf(busy, "quiet");
        const int backlog = 40;
        StreamProbeGrain.DelayByKey[busy] = TimeSpan.FromMilliseconds(25);
        await Task.WhenAll(Enumerable.Range(1, backlog).Select(i => producer.AppendAsync(streamNamespace, busy, $"{busy}#{i}", CancellationToken.None)));
        await producer.AppendAsync(streamNamespace, quiet, $"{quiet}#1", CancellationToken.None);

        var quietGrain = grains.GetGrain<IStreamProbeGrain>(quiet);
        await Eventually.HoldsAsync(
            async () => (await quietGrain.GetState()).Seqs.Count == 1,
            Patience,
            () => $"stream-probe/{quiet} to have applied its one event");
        var busyApplied = (await grains.GetGrain<IStreamProbeGrain>(busy).GetState()).Seqs.Count;

        Assert.True(busyApplied < backlog / 2, $"the quiet partition waited until {busyApplied} of the busy one's {backlog} events were applied");
        await host.StopAsync();
    }
}
