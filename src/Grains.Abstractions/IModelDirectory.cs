using Governance.Grains.Wire;

namespace Governance.Grains;

/// <summary>Lists models across grains, from stored state (auditors' paged listing).</summary>
public interface IModelDirectory
{
    /// <param name="status">Only models whose stored status is this, when given.</param>
    /// <param name="expiringWithin">Only approvals expiring within this span from now, when given.</param>
    /// <param name="afterModelId">The page token: continue after this model id.</param>
    Task<ModelListPage> ListAsync(
        string? status, TimeSpan? expiringWithin, string? afterModelId, int limit, CancellationToken cancellationToken);
}
