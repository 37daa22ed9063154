using System.Collections.Concurrent;
using Governance.Storage;

namespace Governance.Grains.Tests.Infrastructure;

/// <summary>
/// The ledger as the grains read it back, with the rows of chosen chains changed as an attacker with
/// write access to the database would change them (the stored rows themselves are append-only).
/// </summary>
public sealed class TamperingLedgerReader(ILedgerReader inner) : ILedgerReader
{
    private readonly ConcurrentDictionary<string, Func<List<LedgerRecord>, List<LedgerRecord>>> _tampering = new(StringComparer.Ordinal);

    public void Tamper(string chainId, Func<List<LedgerRecord>, List<LedgerRecord>> tamper) => _tampering[chainId] = tamper;

    public async Task<IReadOnlyList<LedgerRecord>> ReadAsync(string chainId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        if (!_tampering.TryGetValue(chainId, out var tamper))
        {
            return await inner.ReadAsync(chainId, afterSeq, limit, cancellationToken);
        }

        var rows = tamper([.. await inner.ReadAsync(chainId, 0, int.MaxValue, cancellationToken)]);
        return [.. rows.Where(r => r.Seq > afterSeq).Take(limit)];
    }
}
