using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Governance.Runtime.Streams;

/// <summary>
/// Batches concurrent appends into one transaction each (group commit), acknowledging every append
/// only after its batch committed, then wakes local consumers of the touched partitions. A few
/// batches may be in flight at once: batches that touch the same partition queue on its head row in
/// the store, so seqs still commit in order.
/// </summary>
internal sealed class StreamAppender(
    IStreamStore store,
    StreamWakeups wakeups,
    IOptions<StreamOptions> options,
    ILogger<StreamAppender> logger) : BackgroundService, IStreamProducer
{
    private readonly Channel<PendingAppend> _queue = Channel.CreateBounded<PendingAppend>(
        new BoundedChannelOptions(16_384) { SingleReader = false, FullMode = BoundedChannelFullMode.Wait });

    private sealed record PendingAppend(StreamAppend Append, TaskCompletionSource<StreamPosition> Completion);

    public async Task<StreamPosition> AppendAsync(string streamNamespace, string key, string payload, CancellationToken cancellationToken)
    {
        var pending = new PendingAppend(
            new StreamAppend(streamNamespace, key, payload),
            new TaskCompletionSource<StreamPosition>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Completion.Task.WaitAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.AppendWriters).Select(_ => Task.Run(() => WriteLoopAsync(stoppingToken), stoppingToken)));

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingAppend>(options.Value.MaxAppendBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < options.Value.MaxAppendBatch && _queue.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                // Another writer may have taken what woke this one.
                if (batch.Count > 0)
                {
                    await WriteBatchAsync(batch, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            while (_queue.Reader.TryRead(out var abandoned))
            {
                abandoned.Completion.TrySetCanceled(stoppingToken);
            }
        }
    }

    private async Task WriteBatchAsync(List<PendingAppend> batch, CancellationToken cancellationToken)
    {
        try
        {
            var positions = await store.AppendAsync([.. batch.Select(p => p.Append)], cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(positions[i]);
            }

            foreach (var touched in batch.Select(p => (p.Append.Namespace, p.Append.Partition)).Distinct())
            {
                wakeups.Notify(touched.Namespace, touched.Partition);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            RuntimeLog.StreamAppendFailed(logger, exception, batch.Count);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(exception);
            }
        }
    }
}
