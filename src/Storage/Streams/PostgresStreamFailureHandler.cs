using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace Governance.Storage.Streams;

/// <summary>
/// Called by Orleans when it gives up delivering a batch container, or a delivery of up to
/// <see cref="PostgresStreamOptions.MaxContainersPerDelivery"/> of them (its MaxEventDeliveryTime passed):
/// records each of their events set aside (error "delivery time exceeded") instead of letting
/// it go silently, and logs it at Error once. The subscription is not faulted: later events of the
/// stream are delivered.
/// </summary>
internal sealed class PostgresStreamFailureHandler(
    PostgresQueueAdapterFactory factory, int queue, IStreamSetAside setAside, PostgresStreamOptions options, TimeProvider time, ILogger logger)
    : IStreamFailureHandler
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
        var receiver = factory.ReceiverFor(queue);
        var readBy = time.GetTimestamp() - (long)(options.MaxEventDeliveryTime.TotalSeconds * time.TimestampFrequency);
        var containers = receiver?.FindGivenUp(streamIdentity, sequenceToken, options.MaxContainersPerDelivery, readBy) ?? [];
        foreach (var container in containers)
        {
            for (var i = 0; i < container.Seqs.Count; i++)
            {
                events.Add(new StreamQueueEvent(
                    container.Seqs[i], streamIdentity.GetNamespace() ?? "", streamIdentity.GetKeyAsString(), container.Payloads[i], container.AppendedAt[i]));
            }
        }

        if (containers.Count == 0)
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

        StreamLog.DeliveryGivenUp(logger, streamIdentity, events[0].Seq, events[^1].Seq, events.Count, options.SetAsideConsumer);
        var allSetAside = true;
        foreach (var e in events)
        {
            try
            {
                // Orleans does not tell how many attempts it made: 0 stands for "unknown".
                await setAside.SetAsideAsync(options.SetAsideConsumer, e.Namespace, e.Key, e.Seq, e.Payload, DeliveryTimeExceeded, 0, CancellationToken.None);
            }
            catch (Exception exception) when (exception is StorageUnavailableException)
            {
                allSetAside = false;
                StreamLog.SetAsideFailed(logger, exception, streamIdentity, e.Seq);
            }
        }

        // Orleans never confirms what it gave up on; once set aside, the checkpoint may pass it. Otherwise
        // it comes again after a restart.
        if (allSetAside && containers.Count > 0)
        {
            receiver!.Confirm(containers);
        }
    }

    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        StreamLog.SubscriptionFailed(logger, streamIdentity, subscriptionId, sequenceToken?.ToString() ?? "the start");
        return Task.CompletedTask;
    }
}
