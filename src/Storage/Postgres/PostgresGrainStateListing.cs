using System.Text;
using Npgsql;
using static Governance.Storage.Postgres.PostgresParameters;

namespace Governance.Storage.Postgres;

/// <summary>Keyset-paged listings of the <c>grain_state</c> table by its listing columns.</summary>
/// <remarks>
/// Listings order and page keys under the "C" collation, which is code point order and matches
/// <see cref="string.CompareOrdinal(string, string)"/> except between characters U+E000..U+FFFF and
/// characters beyond U+FFFF (UTF-16 orders the latter's surrogates first). Paging stays consistent
/// either way: ORDER BY and the after-key comparison use the same collation. State JSON comes back
/// from <c>jsonb</c>, normalised. Failures of the server raise <see cref="StorageUnavailableException"/>.
/// </remarks>
public sealed class PostgresGrainStateListing(NpgsqlDataSource dataSource) : IGrainStateListing
{
    public async Task<IReadOnlyList<GrainListing>> ListAsync(GrainListingQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit <= 0)
        {
            return [];
        }

        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = BuildListCommand(query, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<GrainListing>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new GrainListing(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                    reader.GetString(3)));
            }

            return rows;
        }
        catch (Exception exception) when (PostgresFailures.IsUnavailable(exception, cancellationToken))
        {
            throw PostgresFailures.Unavailable("list grains of type " + query.GrainType, exception);
        }
    }

    private static NpgsqlCommand BuildListCommand(GrainListingQuery query, NpgsqlConnection connection)
    {
        // Only the filters in use appear in the SQL, so each shape gets an index-friendly plan
        // (and its own auto-prepared statement). grain_key is compared and ordered under "C",
        // byte order of UTF-8, which is code point order.
        var command = new NpgsqlCommand { Connection = connection };
        var sql = new StringBuilder("SELECT grain_key, label, deadline, state FROM grain_state WHERE grain_type = $1");
        command.Parameters.Add(Text(query.GrainType));
        if (query.Label is { } label)
        {
            command.Parameters.Add(Text(label));
            sql.Append(" AND label = $").Append(command.Parameters.Count);
        }

        if (query.DeadlineBefore is { } deadlineBefore)
        {
            command.Parameters.Add(Instant(deadlineBefore));
            sql.Append(" AND deadline <= $").Append(command.Parameters.Count);
        }

        if (query.AfterKey is { } afterKey)
        {
            command.Parameters.Add(Text(afterKey));
            sql.Append(" AND grain_key COLLATE \"C\" > $").Append(command.Parameters.Count);
        }

        command.Parameters.Add(Int(query.Limit));
        sql.Append(" ORDER BY grain_key COLLATE \"C\" LIMIT $").Append(command.Parameters.Count);
        command.CommandText = sql.ToString();
        return command;
    }
}
