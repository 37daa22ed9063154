using Npgsql;
using static Governance.Storage.Postgres.PostgresParameters;

namespace Governance.Storage.Postgres;

/// <summary>Reads committed rows of the <c>ledger</c> table, oldest first, paged by seq.</summary>
/// <remarks>Entries read back as the exact text written. Failures of the server raise <see cref="StorageUnavailableException"/>.</remarks>
public sealed class PostgresLedgerReader(NpgsqlDataSource dataSource) : ILedgerReader
{
    private const string ReadLedgerSql = """
        SELECT chain_id, seq, entry, entry_hash
        FROM ledger
        WHERE chain_id = $1 AND seq > $2
        ORDER BY seq
        LIMIT $3
        """;

    public async Task<IReadOnlyList<LedgerRecord>> ReadAsync(string chainId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        if (limit <= 0)
        {
            return [];
        }

        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(ReadLedgerSql, connection) { Parameters = { Text(chainId), BigInt(afterSeq), Int(limit) } };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<LedgerRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new LedgerRecord(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3)));
            }

            return rows;
        }
        catch (Exception exception) when (PostgresFailures.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresFailures.Unavailable("read ledger chain " + chainId, exception);
        }
    }
}
