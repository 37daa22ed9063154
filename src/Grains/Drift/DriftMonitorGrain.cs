using System.Text.Json;
using Governance.Grains.Wire;
using Governance.Storage;
using Governance.Storage.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Orleans.Streams;

namespace Governance.Grains.Drift;

/// <summary>
/// One model's drift monitor, implicitly subscribed to the model's drift stream: hands each delivery to
/// the model in one call, which compares each observation with the baseline it carries under the
/// thresholds of its profile and records the results. Stateless: the model keeps how far its stream was applied, and redelivered
/// events (delivery is at least once) are skipped by their stream sequence number.
/// An observation that fails for a reason of its own <see cref="DriftDeliveryOptions.MaxDeliveryAttempts"/>
/// times is set aside durably and acknowledged, so it never blocks the model's later observations;
/// transient failures (storage unavailable, a concurrent write) are handed back to Orleans to retry.
/// </summary>
[GrainType("drift-monitor")]
[ImplicitStreamSubscription(DriftStreams.Namespace)]
public sealed class DriftMonitorGrain(
    IStreamSetAside setAside,
    IOptions<DriftDeliveryOptions> options,
    ILogger<DriftMonitorGrain> logger)
    : Grain, IDriftMonitorGrain, IAsyncBatchObserver<DriftObservation>
{
    /// <summary>The consumer name of set-aside records.</summary>
    public const string ConsumerName = "drift-monitor";

    private readonly Dictionary<long, int> _failedAttempts = [];

    // Kept for the activation: a new reference per delivery would build the interface's proxy each time.
    private IModelGovernanceGrain? _model;

    private string ModelId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(DriftStreams.ProviderName)
            .GetStream<DriftObservation>(StreamId.Create(DriftStreams.Namespace, ModelId));
        await stream.SubscribeAsync((IAsyncBatchObserver<DriftObservation>)this);
    }

    public async Task<DriftProgress> GetProgress()
    {
        var context = await Model().GetDriftContext();
        return new DriftProgress(context.Observations, context.LastSeq);
    }

    /// <summary>
    /// The events of one stream batch (several when the queue had several for this model) are recorded
    /// in one call, so in one write. When that fails for a reason of its own, they are applied one at a
    /// time, so only the observation that fails alone counts an attempt.
    /// </summary>
    public async Task OnNextAsync(IList<SequentialItem<DriftObservation>> items)
    {
        if (items.Count == 1)
        {
            await ApplyOneAsync(items[0].Item, SeqOf(items[0].Token));
            return;
        }

        try
        {
            await RecordAsync(items.Select(i => (i.Item, SeqOf(i.Token))).ToList());
            return;
        }
        catch (Exception exception) when (!IsTransient(exception))
        {
            // One of them is the cause: find it below.
        }

        foreach (var item in items)
        {
            await ApplyOneAsync(item.Item, SeqOf(item.Token));
        }
    }

    private async Task ApplyOneAsync(DriftObservation item, long seq)
    {
        try
        {
            await RecordAsync([(item, seq)]);
            _failedAttempts.Remove(seq);
        }
        catch (Exception exception) when (!IsTransient(exception))
        {
            var attempt = _failedAttempts.GetValueOrDefault(seq) + 1;
            if (attempt < options.Value.MaxDeliveryAttempts)
            {
                _failedAttempts[seq] = attempt;
                if (attempt == 1)
                {
                    GrainsLog.DriftEventFailed(logger, exception, ModelId, seq, attempt);
                }
                else
                {
                    GrainsLog.DriftEventRetry(logger, ModelId, seq, attempt);
                }

                throw;
            }

            var payload = JsonSerializer.Serialize(item, GovernanceJsonContext.Default.DriftObservation);
            await setAside.SetAsideAsync(ConsumerName, DriftStreams.Namespace, ModelId, seq, payload, exception.Message, attempt, CancellationToken.None);
            _failedAttempts.Remove(seq);
            GrainsLog.DriftEventSetAside(logger, ModelId, seq, attempt, exception.Message);
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    private Task RecordAsync(IReadOnlyList<(DriftObservation Item, long Seq)> events) =>
        Model().RecordDriftEvents([.. events.Select(e => new DriftStreamEvent(e.Seq, e.Item))]);

    private long SeqOf(StreamSequenceToken? token) =>
        token?.SequenceNumber ?? throw new InvalidOperationException($"A drift event of {ModelId} came without a sequence token.");

    /// <summary>Failures that say nothing about the observation: they never count as an attempt.</summary>
    internal static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is OperationCanceledException or TimeoutException or StorageUnavailableException or InconsistentStateException
                or GovernanceException { Code: ErrorCodes.Unavailable or ErrorCodes.Conflict })
            {
                return true;
            }
        }

        return false;
    }

    private IModelGovernanceGrain Model() => _model ??= GrainFactory.GetGrain<IModelGovernanceGrain>(ModelId);
}
