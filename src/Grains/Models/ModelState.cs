namespace Governance.Grains.Models;

/// <summary>
/// The persisted state of one model. Immutable: every command produces a new record, stored with
/// its ledger entries in one write. <see cref="SchemaVersion"/> versions the stored shape.
/// </summary>
public sealed record ModelState(
    int SchemaVersion,
    string ModelId,
    TrainingRecord? Training,
    ApprovalRecord? Approval,
    long LedgerSeq,
    string LedgerHead,
    DriftSnapshot? LatestDrift = null,
    long DriftObservations = 0)
{
    public const int CurrentSchemaVersion = 1;

    public bool Exists => Training is not null || Approval is not null;

    public string? StatusAt(DateTimeOffset now) =>
        Approval?.StatusAt(now) ?? (Training is not null ? ApprovalStatus.Trained : null);
}
