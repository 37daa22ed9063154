using System.Diagnostics.Metrics;

namespace Governance.Runtime;

/// <summary>The runtime's instruments (meter <c>Governance.Runtime</c>), exported by the host.</summary>
public static class RuntimeMetrics
{
    public const string MeterName = "Governance.Runtime";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> Activations =
        Meter.CreateCounter<long>("governance_runtime_activations_total", description: "Grain activations created.");

    internal static readonly Counter<long> Deactivations =
        Meter.CreateCounter<long>("governance_runtime_deactivations_total", description: "Grain activations collected.");

    internal static readonly Counter<long> RemindersDelivered =
        Meter.CreateCounter<long>("governance_runtime_reminders_delivered_total", description: "Reminders delivered to grains.");

    internal static readonly Counter<long> ReminderFailures =
        Meter.CreateCounter<long>("governance_runtime_reminder_failures_total", description: "Reminder deliveries that failed and stay due.");

    internal static readonly Counter<long> WriteTransactions =
        Meter.CreateCounter<long>("governance_runtime_write_transactions_total", description: "PostgreSQL transactions that committed grain writes.");

    internal static readonly Counter<long> GrainWrites =
        Meter.CreateCounter<long>("governance_runtime_grain_writes_total", description: "Grain writes committed (several may share a transaction).");

    internal static readonly Counter<long> StorageConflicts =
        Meter.CreateCounter<long>("governance_runtime_etag_conflicts_total", description: "Writes refused for a stale ETag.");

    internal static readonly Counter<long> StreamEventsSetAside =
        Meter.CreateCounter<long>("governance_stream_events_set_aside", description: "Stream events set aside after failing every delivery attempt.");

    internal static readonly Counter<long> StreamEventsDeleted =
        Meter.CreateCounter<long>("governance_stream_events_deleted_total", description: "Stream events deleted once every consumer checkpointed them.");
}
