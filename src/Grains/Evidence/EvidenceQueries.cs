using System.Globalization;
using System.Text.Json;
using Governance.Grains.Ledger;
using Governance.Grains.Wire;
using Governance.Storage;

namespace Governance.Grains.Evidence;

/// <summary>Reading a chain back: pages for the API, and a full recomputation against the stored head.</summary>
public static class EvidenceQueries
{
    public const int MaxPageSize = 1000;

    public delegate Task<IReadOnlyList<LedgerRecord>> LedgerReader(long afterSeq, int limit);

    public static async Task<EvidencePage> PageAsync(LedgerReader read, long afterSeq, int limit)
    {
        var records = await read(afterSeq, limit + 1);
        var page = records.Take(limit).Select(r => LedgerChain.ToApiEntry(r.EntryJson, r.EntryHash)).ToList();
        var next = records.Count > limit ? records[limit - 1].Seq.ToString(CultureInfo.InvariantCulture) : null;
        return new EvidencePage(page, next);
    }

    public static async Task<ChainVerification> VerifyAsync(string chainId, LedgerReader read, long expectedSeq, string expectedHead)
    {
        var entries = new List<JsonElement>();
        var after = 0L;
        while (true)
        {
            var records = await read(after, MaxPageSize);
            entries.AddRange(records.Select(r => LedgerChain.ToApiEntry(r.EntryJson, r.EntryHash)));
            if (records.Count < MaxPageSize)
            {
                break;
            }

            after = records[^1].Seq;
        }

        return LedgerChain.Verify(chainId, entries, expectedSeq, expectedHead);
    }
}
