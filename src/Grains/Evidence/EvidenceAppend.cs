using Governance.Grains.Ledger;
using Governance.Storage;

namespace Governance.Grains.Evidence;

/// <summary>Events placed in a chain: the rows to commit and the chain's new head.</summary>
public sealed record EvidenceAppend(IReadOnlyList<LedgerRecord> Records, long Seq, string Head)
{
    /// <summary>Gives each event the next seq and links it to the previous entry's hash.</summary>
    public static EvidenceAppend Create(string chainId, long seq, string head, IReadOnlyList<EvidenceEvent> events, DateTimeOffset now)
    {
        var records = new List<LedgerRecord>(events.Count);
        foreach (var item in events)
        {
            var link = LedgerChain.CreateLink(chainId, ++seq, item.Name, item.Actor, now, item.Data, head);
            records.Add(new LedgerRecord(chainId, link.Seq, link.EntryJson, link.EntryHash));
            head = link.EntryHash;
        }

        return new EvidenceAppend(records, seq, head);
    }
}
