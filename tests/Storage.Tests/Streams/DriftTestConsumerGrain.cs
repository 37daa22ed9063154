using Orleans.Streams;

namespace Governance.Storage.Tests.Streams;

/// <summary>
/// Subscribed implicitly to every stream of namespace "drift": applies each event once, by seq (the
/// token's <see cref="StreamSequenceToken.SequenceNumber"/>), into <see cref="AppliedEvents"/>. A
/// poison event throws every time.
/// </summary>
[ImplicitStreamSubscription("drift")]
public sealed class DriftTestConsumerGrain : Grain, IDriftTestConsumerGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(GovernanceStorageNames.StreamProvider)
            .GetStream<TestDriftEvent>(StreamId.Create("drift", this.GetPrimaryKeyString()));
        await stream.SubscribeAsync((item, token) =>
        {
            if (item.Poison)
            {
                throw new InvalidOperationException($"Poison event {item.N} of {item.Key}");
            }

            AppliedEvents.For(item.Key).Apply(token!.SequenceNumber, item.N);
            return Task.CompletedTask;
        });
    }
}
