namespace Governance.Runtime.Streams;

/// <summary>Stream append batching and delivery.</summary>
public sealed class StreamOptions
{
    /// <summary>At most this many appends share one transaction. Default: 512.</summary>
    public int MaxAppendBatch { get; set; } = 512;

    /// <summary>Events read from one partition at a time. Default: 256.</summary>
    public int ReadBatch { get; set; } = 256;

    /// <summary>Keys of one partition batch delivered concurrently (each key stays in order). Default: 16.</summary>
    public int MaxConcurrentKeys { get; set; } = 16;

    /// <summary>
    /// Without a notification, partitions are checked for events this often (a safety net for
    /// missed notifications). Default: 5 seconds.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A partition whose delivery failed is retried after this delay. Default: 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    internal bool IsValid() =>
        MaxAppendBatch > 0 && ReadBatch > 0 && MaxConcurrentKeys > 0 && SweepInterval > TimeSpan.Zero && RetryDelay >= TimeSpan.Zero;
}
