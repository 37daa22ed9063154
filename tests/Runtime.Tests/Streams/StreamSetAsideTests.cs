using Governance.Runtime.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Governance.Runtime.Tests.Streams;

/// <summary>
/// Issue 9, row 1 (memory runtime): no single event may block its partition. An event whose delivery
/// fails on its own every time is set aside after the attempts allowed, recorded for auditors, logged
/// once, and the partition flows on; transient failures never count.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StreamSetAsideTests : IAsyncLifetime
{
    private const string Consumer = "stream-probe";
    private const int MaxAttempts = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly string _namespace = $"set-aside-{Guid.NewGuid():N}";
    private readonly LogCapture _logs = new();
    private IHost _host = null!;

    private IStreamProducer Producer => _host.Services.GetRequiredService<IStreamProducer>();

    private IStreamStore Store => _host.Services.GetRequiredService<IStreamStore>();

    private IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        _host = await StreamProbeHost.StartAsync(
            _namespace,
            options =>
            {
                options.RetryDelay = TimeSpan.FromMilliseconds(50);
                options.SweepInterval = TimeSpan.FromMilliseconds(250);
                options.CheckpointInterval = TimeSpan.FromMilliseconds(100);
                options.MaxDeliveryAttempts = MaxAttempts;
            },
            _logs);
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task Row1_a_poison_event_is_set_aside_and_later_events_of_its_partition_flow()
    {
        var key = Key("poison");
        var neighbour = StreamKeys.InPartitionOf(key, "poison-neighbour");
        var partition = Partitioning.PartitionOf(key);
        StreamProbeGrain.FailuresByPayload[$"{key}#2"] = int.MaxValue;

        var positions = new Dictionary<string, StreamPosition>();
        foreach (var (streamKey, number) in new[] { (key, 1), (key, 2), (neighbour, 1), (key, 3), (neighbour, 2), (key, 4) })
        {
            positions[$"{streamKey}#{number}"] = await Producer.AppendAsync(_namespace, streamKey, $"{streamKey}#{number}", CancellationToken.None);
        }

        var state = await AppliedAsync(key, 3);
        var neighbourState = await AppliedAsync(neighbour, 2);
        Assert.Equal([$"{key}#1", $"{key}#3", $"{key}#4"], state.Payloads);
        Assert.Equal([$"{neighbour}#1", $"{neighbour}#2"], neighbourState.Payloads);
        await CheckpointReachesAsync(partition, positions[$"{key}#4"].Seq);

        var poison = positions[$"{key}#2"];
        var setAside = Assert.Single(await Store.ListSetAsideAsync(_namespace, null, 0, 100, CancellationToken.None));
        Assert.Equal((Consumer, _namespace, partition, poison.Seq, key, $"{key}#2"), (setAside.Consumer, setAside.Namespace, setAside.Partition, setAside.Seq, setAside.Key, setAside.Payload));
        Assert.Equal(MaxAttempts, setAside.Attempts);
        Assert.Contains("fails on", setAside.Error, StringComparison.Ordinal);
        Assert.Contains(nameof(InvalidOperationException), setAside.Error, StringComparison.Ordinal);
        Assert.Equal([setAside], await Store.ListSetAsideAsync(_namespace, key, 0, 100, CancellationToken.None));
        Assert.Empty(await Store.ListSetAsideAsync(_namespace, neighbour, 0, 100, CancellationToken.None));
        Assert.Empty(await Store.ListSetAsideAsync(_namespace, null, setAside.Id, 100, CancellationToken.None));
        Assert.Empty(await Store.GetPendingPartitionsAsync(Consumer, _namespace, [partition], CancellationToken.None));
    }

    [Fact]
    public async Task Row1_a_failing_batch_is_delivered_one_event_at_a_time_so_only_the_poison_event_is_set_aside()
    {
        var key = Key("batch");
        var partition = Partitioning.PartitionOf(key);
        StreamProbeGrain.FailuresByPayload[$"{key}#3"] = int.MaxValue;

        // One append straight into the store: the sweep finds all five, and the key gets them in one call.
        var positions = await Store.AppendAsync(
            [.. Enumerable.Range(1, 5).Select(i => new StreamAppend(_namespace, key, $"{key}#{i}"))], CancellationToken.None);

        var state = await AppliedAsync(key, 4);
        Assert.Equal([$"{key}#1", $"{key}#2", $"{key}#4", $"{key}#5"], state.Payloads);
        await CheckpointReachesAsync(partition, positions[^1].Seq);
        var setAside = Assert.Single(await Store.ListSetAsideAsync(_namespace, key, 0, 100, CancellationToken.None));
        Assert.Equal((positions[2].Seq, $"{key}#3", MaxAttempts), (setAside.Seq, setAside.Payload, setAside.Attempts));
    }

    [Fact]
    public async Task Row1_a_poison_event_logs_one_warning_with_its_stack_trace_and_one_error_when_it_is_set_aside()
    {
        var key = Key("logged");
        StreamProbeGrain.FailuresByPayload[$"{key}#1"] = int.MaxValue;
        var poison = await Producer.AppendAsync(_namespace, key, $"{key}#1", CancellationToken.None);
        await Producer.AppendAsync(_namespace, key, $"{key}#2", CancellationToken.None);

        await AppliedAsync(key, 1);
        await CheckpointReachesAsync(Partitioning.PartitionOf(key), poison.Seq + 1);

        var about = _logs.Entries.Where(e => e.Message.Contains($"/{poison.Seq} ", StringComparison.Ordinal) && e.Message.Contains(key, StringComparison.Ordinal)).ToList();
        var warnings = about.Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Equal(1302, warnings[0].EventId);
        Assert.NotNull(warnings[0].Exception);
        Assert.Equal((1308, LogLevel.Error), (warnings[1].EventId, warnings[1].Level));
        Assert.Null(warnings[1].Exception);
        Assert.Equal(MaxAttempts - 1, about.Count(e => e.EventId == 1307 && e.Level == LogLevel.Debug && e.Exception is null));
    }

    [Fact]
    public async Task Transient_failures_never_count_towards_setting_an_event_aside()
    {
        var key = Key("transient");
        StreamProbeGrain.StorageFailuresByPayload[$"{key}#1"] = MaxAttempts * 3;

        var position = await Producer.AppendAsync(_namespace, key, $"{key}#1", CancellationToken.None);

        var state = await AppliedAsync(key, 1);
        Assert.Equal([position.Seq], state.Seqs);
        Assert.Equal(0, StreamProbeGrain.StorageFailuresByPayload[$"{key}#1"]);
        Assert.Empty(await Store.ListSetAsideAsync(_namespace, key, 0, 100, CancellationToken.None));
    }

    [Fact]
    public void A_failure_is_transient_when_it_or_an_inner_exception_says_the_store_conflict_cancellation_or_redelivery()
    {
        Assert.True(StreamPump.IsTransient(new Storage.StorageUnavailableException("down")));
        Assert.True(StreamPump.IsTransient(new Storage.ETagConflictException(new GrainId("t", "k"), 1)));
        Assert.True(StreamPump.IsTransient(new TaskCanceledException()));
        Assert.True(StreamPump.IsTransient(new StreamRedeliveryRequiredException("lost")));
        Assert.True(StreamPump.IsTransient(new InvalidOperationException("wrapped", new Storage.StorageUnavailableException("down"))));
        Assert.False(StreamPump.IsTransient(new InvalidOperationException("cannot serialise the result")));
        Assert.False(StreamPump.IsTransient(new System.Text.Json.JsonException("bad")));
    }

    private Task<StreamProbeState> AppliedAsync(string key, int count) => StreamProbeWaits.AppliedAsync(Grains, key, count, Patience);

    private Task CheckpointReachesAsync(int partition, long seq) =>
        StreamProbeWaits.CheckpointReachesAsync(Store, _namespace, partition, seq, Patience);

    private static string Key(string name) => $"{name}-{Guid.NewGuid():N}";
}
