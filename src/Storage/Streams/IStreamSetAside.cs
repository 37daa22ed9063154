namespace Governance.Storage.Streams;

/// <summary>Durable records of stream events a consumer gave up on (dead letters).</summary>
public interface IStreamSetAside
{
    /// <summary>
    /// Records durably that <paramref name="consumer"/> gave up on the event <paramref name="seq"/> of
    /// stream (<paramref name="streamNamespace"/>, <paramref name="key"/>) after
    /// <paramref name="attempts"/> failed deliveries, the last with <paramref name="error"/>. Once this
    /// returns the consumer may acknowledge the event. Setting the same event aside again for the same
    /// consumer keeps the first record.
    /// </summary>
    Task SetAsideAsync(
        string consumer, string streamNamespace, string key, long seq, string payload, string error, int attempts,
        CancellationToken cancellationToken);

    /// <summary>
    /// Events set aside in <paramref name="streamNamespace"/> (by any consumer), of <paramref name="key"/>
    /// only unless it is null, with an id above <paramref name="afterId"/>: at most <paramref name="limit"/>, by id.
    /// </summary>
    Task<IReadOnlyList<SetAsideEvent>> ListAsync(
        string streamNamespace, string? key, long afterId, int limit, CancellationToken cancellationToken);
}
