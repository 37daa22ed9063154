namespace Governance.Storage;

/// <summary>
/// One append-only evidence row: the exact entry text and its hash, committed with the state write
/// that produced it. The storage keeps it as given; the domain defines what the text means.
/// </summary>
public sealed record LedgerRecord(string ChainId, long Seq, string EntryJson, string EntryHash);
