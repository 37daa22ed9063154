using System.Text.Json;
using Governance.Grains.Policy;
using Governance.Grains.Wire;
using Governance.Storage;
using Governance.Storage.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Orleans.Streams;

namespace Governance.Grains.Drift;

/// <summary>
/// One model's drift monitor, implicitly subscribed to the model's drift stream: compares each
/// observation with the baseline it carries under the thresholds of the model's profile and records
/// the result on the model. Stateless: the model keeps how far its stream was applied, and redelivered
/// events (delivery is at least once) are skipped by their stream sequence number.
/// An observation that fails for a reason of its own <see cref="DriftDeliveryOptions.MaxDeliveryAttempts"/>
/// times is set aside durably and acknowledged, so it never blocks the model's later observations;
/// transient failures (storage unavailable, a concurrent write) are handed back to Orleans to retry.
/// </summary>
[GrainType("drift-monitor")]
[ImplicitStreamSubscription(DriftStreams.Namespace)]
public sealed class DriftMonitorGrain(
    IPolicyCatalog policies,
    IStreamSetAside setAside,
    IOptions<DriftDeliveryOptions> options,
    ILogger<DriftMonitorGrain> logger)
    : Grain, IDriftMonitorGrain, IAsyncObserver<DriftObservation>
{
    /// <summary>The consumer name of set-aside records.</summary>
    public const string ConsumerName = "drift-monitor";

    private readonly Dictionary<long, int> _failedAttempts = [];

    private string ModelId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(DriftStreams.ProviderName)
            .GetStream<DriftObservation>(StreamId.Create(DriftStreams.Namespace, ModelId));
        await stream.SubscribeAsync(this);
    }

    public async Task<DriftProgress> GetProgress()
    {
        var context = await Model().GetDriftContext();
        return new DriftProgress(context.Observations, context.LastSeq);
    }

    public async Task OnNextAsync(DriftObservation item, StreamSequenceToken? token = null)
    {
        var seq = token?.SequenceNumber
            ?? throw new InvalidOperationException($"A drift event of {ModelId} came without a sequence token.");
        try
        {
            var model = Model();
            var context = await model.GetDriftContext();
            if (seq <= context.LastSeq)
            {
                return;
            }

            var thresholds = (policies.Find(context.Profile) ?? BuiltInPolicyCatalog.Default).DriftOrDefault;
            var result = DriftCalculator.Compute(item.TrainingMetrics, item.ServingMetrics, item.Distribution, thresholds);
            await model.RecordDrift([new DriftRecord(item.EventId, seq, item.ObservedAt, result)]);
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

    private IModelGovernanceGrain Model() => GrainFactory.GetGrain<IModelGovernanceGrain>(ModelId);
}
