using System.Threading.Channels;

namespace Governance.Storage.Streams;

/// <summary>
/// Commits the appends of one provider (group commit): appends arriving while transactions run wait and
/// then commit together in the next one, whatever their queues, in arrival order. One transaction is in
/// flight at a time: appends of a queue commit one after another anyway (its head row lock), and with two
/// the second mostly waited on that lock while its batch could have grown (drift ingest: 14 % more
/// observations per second, 17 % less PostgreSQL CPU per observation). Each caller learns the outcome of
/// the transaction holding its events: committed, or failed with nothing written.
/// </summary>
internal sealed class PostgresStreamAppender : IAsyncDisposable
{
    /// <summary>Append transactions in flight at once (see above).</summary>
    private const int Writers = 1;

    private readonly PostgresStreamLog _log;
    private readonly int _maxAppendsPerTransaction;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _writing;

    public PostgresStreamAppender(PostgresStreamLog log, int maxAppendsPerTransaction)
    {
        _log = log;
        _maxAppendsPerTransaction = maxAppendsPerTransaction;
        _writing = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteAsync))];
    }

    /// <summary>Completes once <paramref name="appends"/> are committed, in order and together.</summary>
    public Task AppendAsync(StreamQueueAppend[] appends)
    {
        var pending = new Pending(appends, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresStreamAppender), "The stream provider is stopping.");
        }

        return pending.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await Task.WhenAll(_writing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WriteAsync()
    {
        var group = new List<Pending>();
        var events = new List<StreamQueueAppend>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            group.Clear();
            events.Clear();
            while (events.Count < _maxAppendsPerTransaction && _pending.Reader.TryRead(out var pending))
            {
                group.Add(pending);
                events.AddRange(pending.Appends);
            }

            if (group.Count == 0)
            {
                continue;
            }

            try
            {
                await _log.AppendAsync(events, CancellationToken.None);
                foreach (var pending in group)
                {
                    pending.Done.TrySetResult();
                }
            }
            catch (Exception exception)
            {
                foreach (var pending in group)
                {
                    pending.Done.TrySetException(exception);
                }
            }
        }
    }

    private sealed record Pending(StreamQueueAppend[] Appends, TaskCompletionSource Done);
}
