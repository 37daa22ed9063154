using Governance.Grains.Calls;
using Governance.Grains.Wire;

namespace Governance.Grains;

/// <summary>
/// Listings across grains, read from storage (auditors' pages): a stateless worker, so every silo
/// answers its own callers. Use key 0.
/// </summary>
[Alias("gov.IListingGrain")]
public interface IListingGrain : IGrainWithIntegerKey
{
    /// <param name="status">Only models whose stored status is this, when given.</param>
    /// <param name="expiringWithin">Only approvals expiring within this span from now, when given.</param>
    /// <param name="afterModelId">The page token: continue after this model id.</param>
    [RequiresRole(Roles.Auditor, Roles.Admin), Alias("ListModels")]
    Task<ModelListPage> ListModels(string? status, TimeSpan? expiringWithin, string? afterModelId, int limit);

    /// <summary>Drift observations set aside, of <paramref name="modelId"/> only when given, with an id above <paramref name="afterId"/>.</summary>
    [RequiresRole(Roles.Auditor, Roles.Admin), Alias("ListDriftDeadLetters")]
    Task<DriftDeadLetterPage> ListDriftDeadLetters(string? modelId, long afterId, int limit);
}
