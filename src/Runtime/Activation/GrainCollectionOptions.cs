namespace Governance.Runtime.Activation;

/// <summary>When idle activations are collected.</summary>
public sealed class GrainCollectionOptions
{
    /// <summary>An activation unused for this long is deactivated. Default: 15 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for. Default: 30 seconds.</summary>
    public TimeSpan CollectionInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Live activations above this count evict the least recently used (down to 90% of it).
    /// Default: 500,000.
    /// </summary>
    public int MaxActivations { get; set; } = 500_000;

    internal bool IsValid(out string? error)
    {
        error = IdleTimeout <= TimeSpan.Zero ? "IdleTimeout must be positive."
            : CollectionInterval <= TimeSpan.Zero ? "CollectionInterval must be positive."
            : MaxActivations < 1 ? "MaxActivations must be at least 1."
            : null;
        return error is null;
    }
}
