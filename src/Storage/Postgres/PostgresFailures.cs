using System.Net.Sockets;
using Npgsql;

namespace Governance.Storage.Postgres;

/// <summary>Tells failures of the store (unavailable: nothing acknowledged) from the caller's errors.</summary>
internal static class PostgresFailures
{
    /// <summary>
    /// Whether <paramref name="exception"/> means the store could not serve the request (as opposed
    /// to a bug, a constraint the caller violated, or the caller's own cancellation).
    /// </summary>
    public static bool IsUnavailable(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        PostgresException postgres => postgres.IsTransient || IsUnavailableState(postgres.SqlState),

        // Client-side failures: cannot connect, broken stream, timeout, pool exhausted.
        NpgsqlException => true,
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };

    public static StorageUnavailableException Unavailable(string operation, Exception exception) =>
        new($"PostgreSQL storage could not {operation}: {exception.Message}", exception);

    private static bool IsUnavailableState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
        || sqlState.StartsWith("53", StringComparison.Ordinal) // insufficient resources (disk full, too many connections)
        || sqlState.StartsWith("57P", StringComparison.Ordinal) // admin/crash shutdown, cannot connect now
        || sqlState.StartsWith("58", StringComparison.Ordinal) // system error (I/O)
        || sqlState.StartsWith("XX", StringComparison.Ordinal); // internal error, data or index corrupted
}
