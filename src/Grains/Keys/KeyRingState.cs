namespace Governance.Grains.Keys;

/// <summary>The persisted keys of one approver and the head of their evidence chain.</summary>
public sealed record KeyRingState(
    int SchemaVersion,
    string Principal,
    Dictionary<string, ApproverKeyRecord> Keys,
    long LedgerSeq,
    string LedgerHead)
{
    public const int CurrentSchemaVersion = 1;
}
