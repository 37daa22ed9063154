using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using Governance.Grains.Drift;
using Governance.Grains.Models;
using Governance.Grains.Wire;
using Governance.Storage;
using Governance.Storage.Streams;
using Orleans.Concurrency;

namespace Governance.Grains.Listing;

/// <summary>The auditors' listings, read from the stored states' listing columns and the dead-letter records.</summary>
[GrainType("listing")]
[StatelessWorker]
public sealed class ListingGrain(IGrainStateListing states, IStreamSetAside setAside, [FromKeyedServices(GovernanceClock.ServiceKey)] TimeProvider clock) : Grain, IListingGrain
{
    /// <summary>The grain type whose rows hold model states.</summary>
    public const string ModelGrainType = "model";

    public async Task<ModelListPage> ListModels(string? status, TimeSpan? expiringWithin, string? afterModelId, int limit)
    {
        var now = clock.GetUtcNow();
        var rows = await states.ListAsync(
            new GrainListingQuery(ModelGrainType, status, now + expiringWithin, afterModelId, limit + 1), CancellationToken.None);
        var models = rows.Take(limit).Select(row =>
        {
            var state = JsonSerializer.Deserialize(row.StateJson, GrainStateJsonContext.Default.ModelState)!;
            return new ModelSummary(
                state.ModelId, state.StatusAt(now) ?? ApprovalStatus.Trained, state.Approval?.ApprovalId,
                state.Approval is { } approval ? Rfc3339.Seconds(approval.ExpiresAt) : null);
        }).ToList();
        return new ModelListPage(models, rows.Count > limit ? models[^1].ModelId : null);
    }

    public async Task<DriftDeadLetterPage> ListDriftDeadLetters(string? modelId, long afterId, int limit)
    {
        var fetched = await setAside.ListAsync(DriftStreams.Namespace, modelId, afterId, limit + 1, CancellationToken.None);
        return DriftDeadLetterPage.Of(
            [.. fetched.Select(e => DriftDeadLetter.Of(e.Id, e.Key, e.Partition, e.Seq, e.Payload, e.Error, e.Attempts, e.SetAsideAt))], limit);
    }
}
