using Governance.Runtime.Storage;

namespace Governance.Runtime.Reminders;

/// <summary>
/// Durable reminders indexed by (partition, due time): fetching what is due touches only due rows of
/// the asked partitions, never every pending reminder.
/// </summary>
public interface IReminderTable
{
    Task UpsertAsync(GrainId grain, ReminderChange change, CancellationToken cancellationToken);

    /// <summary>Reminders due at or before <paramref name="now"/> in the given partitions, earliest first.</summary>
    Task<IReadOnlyList<DueReminder>> GetDueAsync(
        IReadOnlyCollection<int> partitions, DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a delivered reminder done: removes a one-shot reminder, or moves a periodic one to
    /// <paramref name="nextDueAt"/>. Does nothing if the reminder was re-registered meanwhile
    /// (its due time is no longer <see cref="DueReminder.DueAt"/>).
    /// </summary>
    Task CompleteAsync(DueReminder reminder, DateTimeOffset? nextDueAt, CancellationToken cancellationToken);

}
