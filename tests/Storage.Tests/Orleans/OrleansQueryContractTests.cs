using System.Data;
using Governance.Storage.Tests.Postgres;
using Npgsql;

namespace Governance.Storage.Tests.Orleans;

/// <summary>
/// The OrleansQuery rows of migration 0005, run directly the way Orleans' RelationalStorage runs
/// them (named @parameters, Orleans' DbTypes: AnsiString addresses and grain ids, DateTime as UTC,
/// grain hashes as int), for the behaviour the providers rely on but a happy-path cluster rarely shows.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OrleansQueryContractTests(PostgresFixture fixture)
{
    private const int Active = 3;
    private const int Dead = 6;

    [Fact]
    public async Task Every_query_key_the_10_4_2_providers_look_up_is_stored()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var stored = await StoredKeysAsync(dataSource);

        var clusteringRequired = OrleansQueryKeys.Required(OrleansQueryKeys.Clustering);
        var remindersRequired = OrleansQueryKeys.Required(OrleansQueryKeys.Reminders);
        var referenced = OrleansQueryKeys.Referenced(OrleansQueryKeys.Clustering)
            .Concat(OrleansQueryKeys.Referenced(OrleansQueryKeys.Reminders)).ToHashSet(StringComparer.Ordinal);

        // The reflection found the providers' keys (not an empty set that proves nothing).
        Assert.Contains("UpdateMembershipKey", clusteringRequired);
        Assert.Contains("CleanupDefunctSiloEntriesKey", clusteringRequired);
        Assert.Contains("ReadRangeRows2Key", remindersRequired);
        Assert.Contains("CleanupDefunctSiloEntryKey", referenced);

        Assert.Empty(clusteringRequired.Except(stored));
        Assert.Empty(remindersRequired.Except(stored));
        Assert.Empty(referenced.Except(stored));
    }

    [Fact]
    public async Task Membership_version_row_is_created_once()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var cluster = NewClusterId();

        Assert.True(await InsertVersionAsync(dataSource, cluster));
        Assert.False(await InsertVersionAsync(dataSource, cluster));

        var all = await ReadAllAsync(dataSource, cluster);
        var row = Assert.Single(all);
        Assert.Equal(0, row.Version);
        Assert.Null(row.StartTime);
    }

    [Fact]
    public async Task Membership_writes_win_only_with_the_version_they_read_and_bump_it()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var cluster = NewClusterId();
        await InsertVersionAsync(dataSource, cluster);
        var now = UtcNowMicros();

        Assert.True(await InsertMemberAsync(dataSource, cluster, generation: 1, version: 0, now));
        // A second silo that read version 0 too loses, and nothing of it is written.
        Assert.False(await InsertMemberAsync(dataSource, cluster, generation: 2, version: 0, now));
        // The same silo again, even with the current version: refused, it exists.
        Assert.False(await InsertMemberAsync(dataSource, cluster, generation: 1, version: 1, now));
        Assert.Equal(1, (await ReadAllAsync(dataSource, cluster))[0].Version);
        Assert.True(await InsertMemberAsync(dataSource, cluster, generation: 2, version: 1, now));

        Assert.False(await UpdateMemberAsync(dataSource, cluster, generation: 1, version: 1, Dead, "x,y", now));
        Assert.True(await UpdateMemberAsync(dataSource, cluster, generation: 1, version: 2, Dead, null, now));
        // An update of a silo that is not in the table fails and leaves the version alone.
        Assert.False(await UpdateMemberAsync(dataSource, cluster, generation: 99, version: 3, Dead, null, now));

        var rows = await ReadAllAsync(dataSource, cluster);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(3, r.Version));
        Assert.Equal(Dead, rows.Single(r => r.Generation == 1).Status);
        Assert.Equal(Active, rows.Single(r => r.Generation == 2).Status);
        Assert.Equal(now, rows[0].StartTime);
        Assert.Equal(DateTimeKind.Utc, rows[0].StartTime!.Value.Kind);

        var one = await ReadRowAsync(dataSource, cluster, generation: 2);
        Assert.Equal(2, Assert.Single(one).Generation);
        var missing = Assert.Single(await ReadRowAsync(dataSource, cluster, generation: 42));
        Assert.Null(missing.StartTime);
        Assert.Equal(3, missing.Version);

        // The gateway list: active silos with a proxy port only.
        await using var gateways = Command(dataSource, "GatewaysQueryKey");
        Add(gateways, "DeploymentId", DbType.String, cluster);
        Add(gateways, "Status", DbType.Int32, Active);
        await using var reader = await gateways.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("127.0.0.1", reader.GetString(reader.GetOrdinal("Address")));
        Assert.Equal(30002, reader.GetInt32(reader.GetOrdinal("ProxyPort")));
        Assert.Equal(2, reader.GetInt32(reader.GetOrdinal("Generation")));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task Concurrent_updates_with_the_same_version_have_exactly_one_winner()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var cluster = NewClusterId();
        await InsertVersionAsync(dataSource, cluster);
        var now = UtcNowMicros();
        Assert.True(await InsertMemberAsync(dataSource, cluster, generation: 1, version: 0, now));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => UpdateMemberAsync(dataSource, cluster, generation: 1, version: 1, Active, $"s{i}", now))));

        Assert.Single(results, won => won);
        Assert.Equal(2, (await ReadAllAsync(dataSource, cluster))[0].Version);
    }

    [Fact]
    public async Task Cleanup_removes_only_dead_silos_not_alive_since_the_cut_off()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var cluster = NewClusterId();
        await InsertVersionAsync(dataSource, cluster);
        var old = UtcNowMicros().AddHours(-2);
        Assert.True(await InsertMemberAsync(dataSource, cluster, generation: 1, version: 0, old));
        Assert.True(await InsertMemberAsync(dataSource, cluster, generation: 2, version: 1, old));
        Assert.True(await InsertMemberAsync(dataSource, cluster, generation: 3, version: 2, old));
        Assert.True(await InsertMemberAsync(dataSource, cluster, generation: 4, version: 3, old));
        Assert.True(await UpdateMemberAsync(dataSource, cluster, generation: 1, version: 4, Dead, null, old));
        Assert.True(await UpdateMemberAsync(dataSource, cluster, generation: 2, version: 5, Dead, null, UtcNowMicros()));
        Assert.True(await UpdateMemberAsync(dataSource, cluster, generation: 4, version: 6, Dead, null, old));

        // Bulk form (older Orleans, and 10.4.2 without CleanupDefunctSiloEntryKey): dead and old only.
        await using (var bulk = Command(dataSource, "CleanupDefunctSiloEntriesKey"))
        {
            Add(bulk, "DeploymentId", DbType.String, cluster);
            Add(bulk, "IAmAliveTime", DbType.DateTime, DateTime.UtcNow.AddHours(-1));
            Assert.Equal(2, await bulk.ExecuteNonQueryAsync());
        }

        Assert.Equal([2, 3], (await ReadAllAsync(dataSource, cluster)).Select(r => r.Generation!.Value).Order());

        // Per-entry form (10.4.2): only if it is still dead and has not reported since it was read.
        var entry = (await ReadRowAsync(dataSource, cluster, generation: 2)).Single();
        Assert.Equal(0, await DeleteEntryAsync(dataSource, cluster, generation: 3, entry.IAmAliveTime!.Value));
        Assert.Equal(0, await DeleteEntryAsync(dataSource, cluster, generation: 2, entry.IAmAliveTime!.Value.AddSeconds(-1)));
        Assert.Equal(1, await DeleteEntryAsync(dataSource, cluster, generation: 2, entry.IAmAliveTime!.Value));

        Assert.Equal(3, Assert.Single(await ReadAllAsync(dataSource, cluster)).Generation);

        // Deleting the cluster removes its version row and its silos.
        await using (var delete = Command(dataSource, "DeleteMembershipTableEntriesKey"))
        {
            Add(delete, "DeploymentId", DbType.String, cluster);
            await delete.ExecuteNonQueryAsync();
        }

        Assert.Empty(await ReadAllAsync(dataSource, cluster));
    }

    [Fact]
    public async Task Reminder_ranges_compare_signed_hashes_and_wrap_around()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var service = NewClusterId();
        int[] hashes = [int.MinValue, -1_000, -1, 0, 1, 1_000, int.MaxValue];
        foreach (var hash in hashes)
        {
            Assert.Equal(0, await UpsertReminderAsync(dataSource, service, $"grain/{hash}", "r", hash, TimeSpan.FromMinutes(1)));
        }

        // Orleans: (int)begin < (int)end → ReadRangeRows1Key, (begin, end]; else ReadRangeRows2Key.
        Assert.Equal([0, 1, 1_000], await RangeAsync(dataSource, service, -1, 1_000));
        Assert.Equal([-1_000, -1, 0, 1, 1_000, int.MaxValue], await RangeAsync(dataSource, service, int.MinValue, int.MaxValue));
        Assert.Equal([int.MinValue, -1_000, int.MaxValue], await RangeAsync(dataSource, service, 1_000, -1_000));
        // begin = end: the whole ring (one silo).
        Assert.Equal(hashes, await RangeAsync(dataSource, service, 0, 0));
        // Unsigned ranges as Orleans sees them: (0x7FFFFFFF, 0xFFFFFFFF] are the negative ints ...
        Assert.Equal([int.MinValue, -1_000, -1],
            await RangeAsync(dataSource, service, unchecked((int)0x7FFFFFFFu), unchecked((int)0xFFFFFFFFu)));
        // ... and (0x7FFFFFF5, 0x8000000A], unwrapped in unsigned order, wraps in signed order.
        Assert.Equal([int.MinValue, int.MaxValue],
            await RangeAsync(dataSource, service, unchecked((int)0x7FFFFFF5u), unchecked((int)0x8000000Au)));
    }

    [Fact]
    public async Task Reminder_upsert_returns_a_new_etag_and_delete_needs_the_current_one()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var service = NewClusterId();
        var period = TimeSpan.FromDays(400); // over int.MaxValue ms: Orleans then binds a long

        Assert.Equal(0, await UpsertReminderAsync(dataSource, service, "grain/a", "r", 5, period));
        Assert.Equal(1, await UpsertReminderAsync(dataSource, service, "grain/a", "r", 5, period));

        await using (var read = Command(dataSource, "ReadReminderRowKey"))
        {
            Add(read, "ServiceId", DbType.String, service);
            Add(read, "GrainId", DbType.AnsiString, "grain/a");
            Add(read, "ReminderName", DbType.String, "r");
            await using var reader = await read.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal((long)period.TotalMilliseconds, reader.GetInt64(reader.GetOrdinal("Period")));
            Assert.Equal(1, Convert.ToInt32(reader.GetValue(reader.GetOrdinal("Version")), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("grain/a", reader.GetString(reader.GetOrdinal("GrainId")));
            Assert.Equal(DateTimeKind.Utc, reader.GetDateTime(reader.GetOrdinal("StartTime")).Kind);
        }

        Assert.False(await DeleteReminderAsync(dataSource, service, "grain/a", "r", version: 0));
        Assert.True(await DeleteReminderAsync(dataSource, service, "grain/a", "r", version: 1));
        Assert.False(await DeleteReminderAsync(dataSource, service, "grain/a", "r", version: 1));
    }

    private static string NewClusterId() => $"contract-{Guid.NewGuid():N}";

    private static DateTime UtcNowMicros()
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }

    private static NpgsqlCommand Command(NpgsqlDataSource dataSource, string key)
    {
        using var text = dataSource.CreateCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = $1");
        text.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        var sql = text.ExecuteScalar() as string ?? throw new InvalidOperationException($"No query {key}.");
        return dataSource.CreateCommand(sql);
    }

    private static void Add(NpgsqlCommand command, string name, DbType type, object? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });

    private static async Task<HashSet<string>> StoredKeysAsync(NpgsqlDataSource dataSource)
    {
        // Orleans' own query, unquoted.
        await using var command = dataSource.CreateCommand("SELECT QueryKey, QueryText FROM OrleansQuery");
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(reader.GetOrdinal("QueryKey")));
            Assert.False(string.IsNullOrWhiteSpace(reader.GetString(reader.GetOrdinal("QueryText"))));
        }

        return keys;
    }

    private static async Task<bool> SingleBooleanAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1, reader.FieldCount);
        var value = Convert.ToBoolean(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(await reader.ReadAsync());
        return value;
    }

    private static async Task<bool> InsertVersionAsync(NpgsqlDataSource dataSource, string cluster)
    {
        await using var command = Command(dataSource, "InsertMembershipVersionKey");
        Add(command, "DeploymentId", DbType.String, cluster);
        return await SingleBooleanAsync(command);
    }

    private static void AddSilo(NpgsqlCommand command, string cluster, int generation)
    {
        Add(command, "DeploymentId", DbType.String, cluster);
        Add(command, "Address", DbType.AnsiString, "127.0.0.1");
        Add(command, "Port", DbType.Int32, 20000 + generation);
        Add(command, "Generation", DbType.Int32, generation);
    }

    private static async Task<bool> InsertMemberAsync(NpgsqlDataSource dataSource, string cluster, int generation, int version, DateTime time)
    {
        await using var command = Command(dataSource, "InsertMembershipKey");
        AddSilo(command, cluster, generation);
        Add(command, "IAmAliveTime", DbType.DateTime, time);
        Add(command, "SiloName", DbType.String, $"silo-{generation}");
        Add(command, "HostName", DbType.String, "localhost");
        Add(command, "StartTime", DbType.DateTime, time);
        Add(command, "Status", DbType.Int32, Active);
        Add(command, "ProxyPort", DbType.Int32, 30000 + generation);
        Add(command, "Version", DbType.Int32, version);
        return await SingleBooleanAsync(command);
    }

    private static async Task<bool> UpdateMemberAsync(
        NpgsqlDataSource dataSource, string cluster, int generation, int version, int status, string? suspectTimes, DateTime iAmAlive)
    {
        await using var command = Command(dataSource, "UpdateMembershipKey");
        AddSilo(command, cluster, generation);
        Add(command, "IAmAliveTime", DbType.DateTime, iAmAlive);
        Add(command, "Status", DbType.Int32, status);
        Add(command, "SuspectTimes", DbType.String, suspectTimes);
        Add(command, "Version", DbType.Int32, version);
        return await SingleBooleanAsync(command);
    }

    private static async Task<int> DeleteEntryAsync(NpgsqlDataSource dataSource, string cluster, int generation, DateTime iAmAlive)
    {
        await using var command = Command(dataSource, "CleanupDefunctSiloEntryKey");
        AddSilo(command, cluster, generation);
        Add(command, "SuspectTimes", DbType.String, null);
        Add(command, "StartTime", DbType.DateTime, iAmAlive);
        Add(command, "IAmAliveTime", DbType.DateTime, iAmAlive);
        return await command.ExecuteNonQueryAsync();
    }

    private static Task<List<MemberRow>> ReadAllAsync(NpgsqlDataSource dataSource, string cluster)
    {
        var command = Command(dataSource, "MembershipReadAllKey");
        Add(command, "DeploymentId", DbType.String, cluster);
        return ReadMembersAsync(command);
    }

    private static Task<List<MemberRow>> ReadRowAsync(NpgsqlDataSource dataSource, string cluster, int generation)
    {
        var command = Command(dataSource, "MembershipReadRowKey");
        AddSilo(command, cluster, generation);
        return ReadMembersAsync(command);
    }

    private static async Task<List<MemberRow>> ReadMembersAsync(NpgsqlCommand command)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<MemberRow>();
            while (await reader.ReadAsync())
            {
                DateTime? Time(string column) =>
                    reader.IsDBNull(reader.GetOrdinal(column)) ? null : reader.GetDateTime(reader.GetOrdinal(column));
                int? Int(string column) =>
                    reader.IsDBNull(reader.GetOrdinal(column)) ? null : reader.GetInt32(reader.GetOrdinal(column));
                rows.Add(new MemberRow(
                    reader.GetInt32(reader.GetOrdinal("Version")),
                    Int("Generation"),
                    Int("Status"),
                    Time("StartTime"),
                    Time("IAmAliveTime")));
            }

            return rows;
        }
    }

    private static async Task<int> UpsertReminderAsync(
        NpgsqlDataSource dataSource, string service, string grainId, string name, int hash, TimeSpan period)
    {
        await using var command = Command(dataSource, "UpsertReminderRowKey");
        Add(command, "ServiceId", DbType.String, service);
        Add(command, "GrainHash", DbType.Int32, hash);
        Add(command, "GrainId", DbType.AnsiString, grainId);
        Add(command, "ReminderName", DbType.String, name);
        Add(command, "StartTime", DbType.DateTime, DateTime.UtcNow);
        if (period.TotalMilliseconds <= int.MaxValue)
        {
            Add(command, "Period", DbType.Int32, (int)period.TotalMilliseconds);
        }
        else
        {
            Add(command, "Period", DbType.Int64, (long)period.TotalMilliseconds);
        }

        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return Convert.ToInt32(reader.GetValue(reader.GetOrdinal("Version")), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<bool> DeleteReminderAsync(NpgsqlDataSource dataSource, string service, string grainId, string name, int version)
    {
        await using var command = Command(dataSource, "DeleteReminderRowKey");
        Add(command, "ServiceId", DbType.String, service);
        Add(command, "GrainId", DbType.AnsiString, grainId);
        Add(command, "ReminderName", DbType.String, name);
        Add(command, "Version", DbType.Int32, version);
        return await SingleBooleanAsync(command);
    }

    /// <summary>The hashes of the reminders in (begin, end], chosen as Orleans chooses the key.</summary>
    private static async Task<List<int>> RangeAsync(NpgsqlDataSource dataSource, string service, int begin, int end)
    {
        await using var command = Command(dataSource, begin < end ? "ReadRangeRows1Key" : "ReadRangeRows2Key");
        Add(command, "ServiceId", DbType.String, service);
        Add(command, "BeginHash", DbType.Int32, begin);
        Add(command, "EndHash", DbType.Int32, end);
        await using var reader = await command.ExecuteReaderAsync();
        var hashes = new List<int>();
        while (await reader.ReadAsync())
        {
            var grainId = reader.GetString(reader.GetOrdinal("GrainId"));
            hashes.Add(int.Parse(grainId["grain/".Length..], System.Globalization.CultureInfo.InvariantCulture));
        }

        hashes.Sort();
        return hashes;
    }

    private sealed record MemberRow(int Version, int? Generation, int? Status, DateTime? StartTime, DateTime? IAmAliveTime);
}
