namespace Governance.Storage;

/// <summary>Reads committed evidence rows.</summary>
public interface ILedgerReader
{
    /// <summary>Rows of one chain with seq greater than <paramref name="afterSeq"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<LedgerRecord>> ReadAsync(string chainId, long afterSeq, int limit, CancellationToken cancellationToken);
}
