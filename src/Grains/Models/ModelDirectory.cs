using System.Text.Json;
using Governance.Grains.Wire;
using Governance.Runtime;
using Governance.Runtime.Storage;

namespace Governance.Grains.Models;

/// <summary>The model listing, read from the stored states' indexed status and expiry.</summary>
internal sealed class ModelDirectory(IGrainStorage storage, TimeProvider clock) : IModelDirectory
{
    private static readonly string GrainType =
        typeof(ModelGovernanceGrain).GetCustomAttributes(typeof(GrainTypeAttribute), false).Cast<GrainTypeAttribute>().Single().Name;

    public async Task<ModelListPage> ListAsync(
        string? status, TimeSpan? expiringWithin, string? afterModelId, int limit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await storage.ListAsync(
            new GrainListingQuery(GrainType, status, now + expiringWithin, afterModelId, limit + 1), cancellationToken);
        var models = rows.Take(limit).Select(row =>
        {
            var state = JsonSerializer.Deserialize(row.StateJson, GrainStateJsonContext.Default.ModelState)!;
            return new ModelSummary(
                state.ModelId, state.StatusAt(now) ?? ApprovalStatus.Trained, state.Approval?.ApprovalId,
                state.Approval is { } approval ? Rfc3339.Seconds(approval.ExpiresAt) : null);
        }).ToList();
        return new ModelListPage(models, rows.Count > limit ? models[^1].ModelId : null);
    }
}
