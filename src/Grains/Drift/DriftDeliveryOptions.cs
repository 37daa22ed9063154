namespace Governance.Grains.Drift;

/// <summary>How the drift monitor treats an observation that keeps failing (<c>Governance:Streams</c>).</summary>
public sealed class DriftDeliveryOptions
{
    /// <summary>
    /// Failed deliveries of one observation, not counting transient failures (storage unavailable,
    /// a concurrent write), after which it is set aside so the model's later observations follow.
    /// </summary>
    public int MaxDeliveryAttempts { get; set; } = 5;
}
