namespace Governance.Runtime.Storage;

/// <summary>
/// Everything one grain command persists, committed in a single transaction: the new state (checked
/// against the expected ETag), its ledger entries and reminder changes, and the listing projection.
/// </summary>
/// <param name="ExpectedETag">0 when the grain has never been written.</param>
/// <param name="Label">A short, indexed projection of the state for listings (for example a status).</param>
/// <param name="Deadline">An indexed instant for listings (for example an expiry).</param>
public sealed record GrainWrite(
    string StateJson,
    long ExpectedETag,
    IReadOnlyList<LedgerRecord> Ledger,
    IReadOnlyList<ReminderChange> Reminders,
    string? Label,
    DateTimeOffset? Deadline);
