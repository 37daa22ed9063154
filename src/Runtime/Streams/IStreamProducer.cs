namespace Governance.Runtime.Streams;

/// <summary>Appends events to durable streams; returns once the event is committed.</summary>
public interface IStreamProducer
{
    Task<StreamPosition> AppendAsync(string streamNamespace, string key, string payload, CancellationToken cancellationToken);
}
