using Npgsql;
using NpgsqlTypes;

namespace Governance.Storage.Postgres;

/// <summary>Typed parameters, with instants sent as UTC (Npgsql writes timestamptz only from offset 0).</summary>
internal static class PostgresParameters
{
    public static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value };

    public static NpgsqlParameter<long> BigInt(long value) => new() { TypedValue = value };

    public static NpgsqlParameter<int> Int(int value) => new() { TypedValue = value };

    public static NpgsqlParameter<string> Jsonb(string json) => new() { TypedValue = json, NpgsqlDbType = NpgsqlDbType.Jsonb };

    public static NpgsqlParameter NullableText(string? value) =>
        new() { Value = value is null ? DBNull.Value : value, NpgsqlDbType = NpgsqlDbType.Text };

    public static NpgsqlParameter<DateTimeOffset> Instant(DateTimeOffset value) => new() { TypedValue = value.ToUniversalTime() };

    public static NpgsqlParameter NullableInstant(DateTimeOffset? value) =>
        new()
        {
            Value = value is { } instant ? instant.ToUniversalTime() : DBNull.Value,
            NpgsqlDbType = NpgsqlDbType.TimestampTz,
        };
}
