using Orleans.Runtime;
using Orleans.Streams;

namespace Governance.Storage.Streams;

/// <summary>
/// Produces into and creates the receivers of the PostgreSQL stream queues of one provider. An append
/// returns once its events are committed (with the other appends of their queue that came meanwhile).
/// </summary>
internal sealed class PostgresQueueAdapter(PostgresQueueAdapterFactory factory, string name) : IQueueAdapter
{
    public string Name => name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public Task QueueMessageBatchAsync<T>(
        StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null)
        {
            throw new NotSupportedException("The PostgreSQL stream provider assigns the sequence tokens itself; produce without one.");
        }

        var streamNamespace = streamId.GetNamespace()
            ?? throw new ArgumentException("The PostgreSQL stream provider needs streams with a namespace.", nameof(streamId));
        var key = streamId.GetKeyAsString();
        var codec = factory.Codec;
        var queue = (int)factory.QueueMapper.GetQueueForStream(streamId).GetNumericId();
        var appends = events.Select(item => new StreamQueueAppend(
            queue, streamNamespace, key, codec.Encode(item ?? throw new ArgumentException("A stream event cannot be null.", nameof(events))))).ToArray();
        return appends.Length == 0 ? Task.CompletedTask : factory.Appender.AppendAsync(appends);
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => factory.CreateReceiver(queueId);
}
