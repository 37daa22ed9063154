using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace Governance.Storage.Streams;

/// <summary>
/// Called by Orleans when it gives up delivering a batch container (its MaxEventDeliveryTime passed):
/// records each event of the container set aside (error "delivery time exceeded") instead of letting
/// it go silently, and logs it at Error once. The subscription is not faulted: later events of the
/// stream are delivered.
/// </summary>
internal sealed class PostgresStreamFailureHandler(
    PostgresQueueAdapterFactory factory, int queue, IStreamSetAside setAside, string consumer, ILogger logger) : IStreamFailureHandler
{
    public const string DeliveryTimeExceeded = "delivery time exceeded";

    public bool ShouldFaultSubsriptionOnError => false;

    public async Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        if (sequenceToken is null)
        {
            return;
        }

        var events = new List<StreamQueueEvent>();
        if (factory.ReceiverFor(queue)?.FindUnconfirmed(streamIdentity, sequenceToken) is { } container)
        {
            for (var i = 0; i < container.Seqs.Count; i++)
            {
                events.Add(new StreamQueueEvent(
                    container.Seqs[i], streamIdentity.GetNamespace() ?? "", streamIdentity.GetKeyAsString(), container.Payloads[i], container.AppendedAt[i]));
            }
        }
        else
        {
            try
            {
                if (await factory.Log.ReadOneAsync(queue, sequenceToken.SequenceNumber, CancellationToken.None) is { } single)
                {
                    events.Add(single);
                }
                else
                {
                    StreamLog.GivenUpEventNotFound(logger, streamIdentity, sequenceToken.SequenceNumber);
                    return;
                }
            }
            catch (StorageUnavailableException exception)
            {
                StreamLog.SetAsideFailed(logger, exception, streamIdentity, sequenceToken.SequenceNumber);
                return;
            }
        }

        StreamLog.DeliveryGivenUp(logger, streamIdentity, events[0].Seq, events[^1].Seq, events.Count, consumer);
        foreach (var e in events)
        {
            try
            {
                // Orleans does not tell how many attempts it made: 0 stands for "unknown".
                await setAside.SetAsideAsync(consumer, e.Namespace, e.Key, e.Seq, e.Payload, DeliveryTimeExceeded, 0, CancellationToken.None);
            }
            catch (Exception exception) when (exception is StorageUnavailableException)
            {
                StreamLog.SetAsideFailed(logger, exception, streamIdentity, e.Seq);
            }
        }
    }

    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        StreamLog.SubscriptionFailed(logger, streamIdentity, subscriptionId, sequenceToken?.ToString() ?? "the start");
        return Task.CompletedTask;
    }
}
