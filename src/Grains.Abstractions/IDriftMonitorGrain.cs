using Governance.Grains.Wire;

namespace Governance.Grains;

/// <summary>
/// Consumes one model's drift stream (keyed by model id), compares each observation with the
/// training baseline and hands the result to the model.
/// </summary>
[Alias("gov.IDriftMonitorGrain")]
public interface IDriftMonitorGrain : IGrainWithStringKey
{
    /// <summary>How many observations were applied, and the seq of the last.</summary>
    [AlwaysInterleave, Alias("GetProgress")]
    Task<DriftProgress> GetProgress();
}
