using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Governance.Grains.Policy;
using Governance.Grains.Wire;
using Governance.Runtime;
using Governance.Runtime.Streams;

namespace Governance.Grains.Drift;

/// <summary>
/// One model's drift monitor: consumes the model's drift stream in order, compares each observation
/// with the baseline it carries under the thresholds of the model's profile, and records the result
/// on the model. Replays (at-least-once delivery) are skipped by seq, here and on the model.
/// </summary>
[GrainType("drift-monitor")]
public sealed class DriftMonitorGrain(IGrainFactory grains, IPolicyCatalog policies)
    : Grain<DriftMonitorState>, IDriftMonitorGrain, IStreamSubscriber
{
    protected override JsonTypeInfo<DriftMonitorState> StateTypeInfo => GrainStateJsonContext.Default.DriftMonitorState;

    protected override DriftMonitorState CreateEmptyState() => new(DriftMonitorState.CurrentSchemaVersion, 0, 0);

    public Task<DriftProgress> GetProgress() => Task.FromResult(new DriftProgress(State.Observations, State.LastSeq));

    public async Task OnStreamEvent(StreamEvent streamEvent)
    {
        if (streamEvent.Seq <= State.LastSeq)
        {
            return;
        }

        var observation = JsonSerializer.Deserialize(streamEvent.Payload, GovernanceJsonContext.Default.DriftObservation)
            ?? throw new InvalidOperationException($"Drift event {streamEvent.Seq} of {GrainKey} is empty.");
        var model = grains.GetGrain<IModelGovernanceGrain>(GrainKey);
        var context = await model.GetDriftContext();
        var thresholds = (policies.Find(context.Profile) ?? BuiltInPolicyCatalog.Default).DriftOrDefault;
        var result = DriftCalculator.Compute(observation.TrainingMetrics, observation.ServingMetrics, observation.Distribution, thresholds);
        await model.RecordDrift(new DriftRecord(observation.EventId, streamEvent.Seq, observation.ObservedAt, result));
        await WriteStateAsync(State with { Observations = State.Observations + 1, LastSeq = streamEvent.Seq }, [], []);
    }
}
