using Governance.Grains.Evidence;

namespace Governance.Grains.Models;

/// <summary>
/// The result of one command: the new state, the ledger events and reminder changes to commit with
/// it, and — for refusals that must still leave evidence, such as a failed policy evaluation — the
/// refusal to raise once the write has committed.
/// </summary>
public sealed record ModelTransition(
    ModelState State,
    IReadOnlyList<EvidenceEvent> Events,
    IReadOnlyList<ReminderChange> Reminders,
    GovernanceException? RefusalAfterWrite = null);
