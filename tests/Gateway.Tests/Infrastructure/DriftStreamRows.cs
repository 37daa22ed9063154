using Npgsql;

namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>What a silo's schema holds of a model's drift stream: the committed events and how many were applied.</summary>
public static class DriftStreamRows
{
    /// <summary>The event ids committed to the model's stream (delivered ones stay until the retention passes).</summary>
    public static async Task<HashSet<string>> CommittedEventIdsAsync(NpgsqlDataSource database, string modelId)
    {
        await using var command = database.CreateCommand("SELECT payload::jsonb ->> 'event_id' FROM stream_queue_events WHERE stream_key = $1");
        command.Parameters.AddWithValue(modelId);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>The observations the model's stored state counts as applied.</summary>
    public static async Task<long> AppliedObservationsAsync(NpgsqlDataSource database, string modelId)
    {
        await using var command = database.CreateCommand(
            "SELECT coalesce((state ->> 'drift_observations')::bigint, 0) FROM grain_state WHERE grain_type = 'model' AND grain_key = $1");
        command.Parameters.AddWithValue(modelId);
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }
}
