namespace Governance.Grains.Ledger;

/// <summary>One entry of a chain: its canonical JSON text and its hash.</summary>
public sealed record LedgerLink(long Seq, string EntryJson, string EntryHash);
