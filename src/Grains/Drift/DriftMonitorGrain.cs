using System.Text.Json;
using Governance.Grains.Policy;
using Governance.Grains.Wire;
using Governance.Runtime;
using Governance.Runtime.Streams;

namespace Governance.Grains.Drift;

/// <summary>
/// One model's drift monitor: consumes the model's drift stream in order, compares each observation
/// with the baseline it carries under the thresholds of the model's profile, and records the results
/// on the model, all events of a delivery in one call. Stateless: the model keeps how far its stream
/// was applied, and replays (at-least-once delivery) are skipped by seq, here and on the model.
/// Before the stream's checkpoint moves, the model writes the results it kept unsaved.
/// </summary>
[GrainType("drift-monitor")]
public sealed class DriftMonitorGrain(IGrainFactory grains, IPolicyCatalog policies)
    : StatelessGrain, IDriftMonitorGrain, IStreamSubscriber
{
    public async Task<DriftProgress> GetProgress()
    {
        var context = await Model().GetDriftContext();
        return new DriftProgress(context.Observations, context.LastSeq);
    }

    public async Task OnStreamEvents(IReadOnlyList<StreamEvent> events, CancellationToken cancellationToken)
    {
        var model = Model();
        var context = await model.GetDriftContext();
        var thresholds = (policies.Find(context.Profile) ?? BuiltInPolicyCatalog.Default).DriftOrDefault;
        var records = new List<DriftRecord>(events.Count);
        foreach (var streamEvent in events)
        {
            if (streamEvent.Seq <= context.LastSeq)
            {
                continue;
            }

            var observation = JsonSerializer.Deserialize(streamEvent.Payload, GovernanceJsonContext.Default.DriftObservation)
                ?? throw new InvalidOperationException($"Drift event {streamEvent.Seq} of {GrainKey} is empty.");
            var result = DriftCalculator.Compute(observation.TrainingMetrics, observation.ServingMetrics, observation.Distribution, thresholds);
            records.Add(new DriftRecord(observation.EventId, streamEvent.Seq, observation.ObservedAt, result));
        }

        if (records.Count > 0)
        {
            await model.RecordDrift(records);
        }
    }

    public Task<bool> OnStreamCheckpoint(long throughSeq, CancellationToken cancellationToken) => Model().SaveDrift(throughSeq);

    private IModelGovernanceGrain Model() => grains.GetGrain<IModelGovernanceGrain>(GrainKey);
}
