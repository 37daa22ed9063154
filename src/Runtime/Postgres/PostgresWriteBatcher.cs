using System.Threading.Channels;
using Governance.Runtime.Storage;

namespace Governance.Runtime.Postgres;

/// <summary>
/// Group commit for grain writes: concurrent writes of different grains share one transaction, each
/// keeping its own ETag check. An idle store writes at once (a batch of one); under load, writes
/// that arrive while a commit is in flight go together in the next. If any write of a batch is
/// refused, the batch is rolled back and its writes are retried one by one, so a conflict or a bad
/// write only ever fails itself.
/// </summary>
internal sealed class PostgresWriteBatcher
{
    /// <summary>Transactions in flight at once.</summary>
    private const int Writers = 4;

    /// <summary>Grain writes in one transaction at most.</summary>
    private const int MaxBatch = 64;

    private readonly PostgresStore _store;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = false });

    public PostgresWriteBatcher(PostgresStore store)
    {
        _store = store;
        for (var i = 0; i < Writers; i++)
        {
            _ = Task.Run(WriteLoopAsync);
        }
    }

    private sealed record PendingWrite(GrainId Grain, GrainWrite Write, TaskCompletionSource<long> Completion);

    public async Task<long> WriteAsync(GrainId grain, GrainWrite write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite(grain, write, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Writer.TryWrite(pending);

        // Cancelling stops the wait, not a write already on its way: it may still commit (the caller
        // treats it as unacknowledged, as after a lost connection).
        return await pending.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count > 0)
            {
                await WriteBatchAsync(batch);
            }
        }
    }

    private async Task WriteBatchAsync(List<PendingWrite> batch)
    {
        if (batch.Count > 1)
        {
            try
            {
                if (await _store.TryWriteTogetherAsync([.. batch.Select(p => (p.Grain, p.Write))], CancellationToken.None))
                {
                    foreach (var pending in batch)
                    {
                        pending.Completion.TrySetResult(pending.Write.ExpectedETag + 1);
                    }

                    return;
                }
            }
            catch (Exception exception) when (PostgresStore.IsUnavailable(exception, CancellationToken.None))
            {
                var unavailable = PostgresStore.Unavailable($"write {batch.Count} grain states", exception);
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(unavailable);
                }

                return;
            }
            catch (Exception)
            {
                // A write the server refused (not a conflict): find it by writing one by one below.
            }
        }

        foreach (var pending in batch)
        {
            try
            {
                pending.Completion.TrySetResult(await _store.WriteAloneAsync(pending.Grain, pending.Write, CancellationToken.None));
            }
            catch (Exception exception)
            {
                pending.Completion.TrySetException(exception);
            }
        }
    }
}
