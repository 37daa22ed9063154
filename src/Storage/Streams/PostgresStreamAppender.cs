using System.Threading.Channels;

namespace Governance.Storage.Streams;

/// <summary>
/// Commits the appends to one queue: appends arriving while a transaction runs wait and then commit
/// together in the next one (group commit), in arrival order. A queue's appends are serialized by its
/// head row lock anyway, so one writer per queue and process loses no concurrency. Each caller learns
/// the outcome of the transaction holding its events: committed, or failed with nothing written.
/// </summary>
internal sealed class PostgresStreamAppender : IAsyncDisposable
{
    private readonly PostgresStreamLog _log;
    private readonly int _queue;
    private readonly int _maxAppendsPerTransaction;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writing;

    public PostgresStreamAppender(PostgresStreamLog log, int queue, int maxAppendsPerTransaction)
    {
        _log = log;
        _queue = queue;
        _maxAppendsPerTransaction = maxAppendsPerTransaction;
        _writing = Task.Run(WriteAsync);
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
        await _writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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

            try
            {
                await _log.AppendAsync(_queue, events, CancellationToken.None);
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
