namespace Governance.Runtime.Reminders;

/// <summary>How due reminders are fetched and delivered.</summary>
public sealed class ReminderOptions
{
    /// <summary>How often the reminder table is asked for due reminders. Default: 500 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>At most this many due reminders are fetched per query. Default: 512.</summary>
    public int BatchSize { get; set; } = 512;

    /// <summary>At most this many reminders are delivered at once. Default: 16.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 16;

    internal bool IsValid(out string? error)
    {
        error = PollInterval <= TimeSpan.Zero ? "PollInterval must be positive."
            : BatchSize < 1 ? "BatchSize must be at least 1."
            : MaxConcurrentDeliveries < 1 ? "MaxConcurrentDeliveries must be at least 1."
            : null;
        return error is null;
    }
}
