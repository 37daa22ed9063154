using Governance.Runtime.Postgres;
using Governance.Runtime.Storage;
using Governance.Runtime.Tests.Streams;
using Npgsql;

namespace Governance.Runtime.Tests.Postgres;

/// <summary>Group commit: concurrent writes share transactions, yet each keeps its own ETag check and outcome.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresWriteBatchTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Many_concurrent_writes_of_different_grains_all_commit_with_their_ledger_rows()
    {
        var store = new PostgresStore(await fixture.SchemaForAsync(GetType()));
        var grains = Enumerable.Range(0, 300).Select(i => new GrainId("batch-all", $"g-{Guid.NewGuid():N}")).ToList();

        var etags = await Task.WhenAll(grains.Select(grain => Task.Run(() => store.WriteAsync(grain, WriteWithLedger(grain, 0), default))));

        Assert.All(etags, etag => Assert.Equal(1, etag));
        foreach (var grain in grains)
        {
            Assert.Equal(1, (await store.ReadAsync(grain, default))?.ETag);
            Assert.Single(await store.ReadLedgerAsync(grain.Key, 0, 10, default));
        }
    }

    [Fact]
    public async Task A_stale_write_among_concurrent_ones_fails_alone_and_leaves_no_trace()
    {
        var store = new PostgresStore(await fixture.SchemaForAsync(GetType()));
        var grains = Enumerable.Range(0, 100).Select(i => new GrainId("batch-mixed", $"g-{Guid.NewGuid():N}")).ToList();
        bool IsStale(int index) => index % 7 == 0;

        var outcomes = await Task.WhenAll(grains.Select((grain, index) => Task.Run(async () =>
        {
            try
            {
                await store.WriteAsync(grain, WriteWithLedger(grain, IsStale(index) ? 5 : 0), default);
                return true;
            }
            catch (ETagConflictException)
            {
                return false;
            }
        })));

        for (var index = 0; index < grains.Count; index++)
        {
            Assert.Equal(!IsStale(index), outcomes[index]);
            var stored = await store.ReadAsync(grains[index], default);
            var ledger = await store.ReadLedgerAsync(grains[index].Key, 0, 10, default);
            Assert.Equal(IsStale(index) ? null : 1L, stored?.ETag);
            Assert.Equal(IsStale(index) ? 0 : 1, ledger.Count);
        }
    }

    [Fact]
    public async Task Concurrent_updates_of_existing_grains_keep_each_etag_check_and_write_each_projection()
    {
        var store = new PostgresStore(await fixture.SchemaForAsync(GetType()));
        var grainType = $"batch-update-{Guid.NewGuid():N}";
        var grains = Enumerable.Range(0, 120).Select(i => new GrainId(grainType, $"g-{i:D3}")).ToList();
        await WriteFirstAsync(store, grains, "first");

        bool IsStale(int index) => index % 5 == 0;
        DateTimeOffset? DeadlineOf(int index) => index % 2 == 0 ? null : new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)).AddSeconds(index);
        string? LabelOf(int index) => index % 3 == 0 ? null : $"second-{index}";

        var outcomes = await Task.WhenAll(grains.Select((grain, index) => Task.Run(async () =>
        {
            try
            {
                var write = new GrainWrite($"{{\"n\":{index}}}", IsStale(index) ? 7 : 1, [], [], LabelOf(index), DeadlineOf(index));
                return await store.WriteAsync(grain, write, default);
            }
            catch (ETagConflictException)
            {
                return -1;
            }
        })));

        var listed = (await store.ListAsync(new GrainListingQuery(grainType, null, null, null, 500), default)).ToDictionary(l => l.Key);
        for (var index = 0; index < grains.Count; index++)
        {
            var stored = await store.ReadAsync(grains[index], default);
            var listing = listed[grains[index].Key];
            if (IsStale(index))
            {
                Assert.Equal(-1, outcomes[index]);
                Assert.Equal(new StoredGrainState("{\"n\": 1}", 1), stored);
                Assert.Equal("first", listing.Label);
            }
            else
            {
                Assert.Equal(2, outcomes[index]);
                Assert.Equal(new StoredGrainState($"{{\"n\": {index}}}", 2), stored);
                Assert.Equal(LabelOf(index), listing.Label);
                Assert.Equal(DeadlineOf(index), listing.Deadline);
            }
        }
    }

    [Fact]
    public async Task One_batch_updates_every_grain_when_each_etag_matches_and_none_when_one_is_stale()
    {
        var store = new PostgresStore(await fixture.SchemaForAsync(GetType()));
        var grainType = $"batch-together-{Guid.NewGuid():N}";
        var grains = Enumerable.Range(0, 10).Select(i => new GrainId(grainType, $"g-{i:D2}")).ToList();
        await WriteFirstAsync(store, grains, "first");

        Assert.True(await store.TryWriteTogetherAsync(
            [.. grains.Select((grain, i) => (grain, new GrainWrite($"{{\"n\":{i}}}", 1, [], [], $"second-{i}", null)))], default));
        var staleLast = grains.Select((grain, i) => (grain, new GrainWrite("{\"n\":-1}", i == 9 ? 1 : 2, [], [], "third", null))).ToList();
        Assert.False(await store.TryWriteTogetherAsync(staleLast, default));

        var listed = (await store.ListAsync(new GrainListingQuery(grainType, null, null, null, 100), default)).ToDictionary(l => l.Key);
        for (var i = 0; i < grains.Count; i++)
        {
            Assert.Equal(new StoredGrainState($"{{\"n\": {i}}}", 2), await store.ReadAsync(grains[i], default));
            Assert.Equal($"second-{i}", listed[grains[i].Key].Label);
        }
    }

    [Fact]
    public async Task A_batch_caught_in_a_lock_cycle_is_rolled_back_and_refused_for_one_by_one_writes_not_failed_as_unavailable()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var application = $"batch-cycle-{Guid.NewGuid():N}";
        await using var batchSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString) { ApplicationName = application });
        var store = new PostgresStore(batchSource);
        var grainType = application;
        var (first, second) = (new GrainId(grainType, "a"), new GrainId(grainType, "b"));
        await WriteFirstAsync(store, [first, second], label: null);

        // Another transaction holds the second row. It checks for deadlocks much later than the
        // batch's session does, so the batch is the one PostgreSQL rolls back.
        await using var other = await dataSource.OpenConnectionAsync();
        await using (var slowDetection = new NpgsqlCommand("SET deadlock_timeout = '30s'", other))
        {
            await slowDetection.ExecuteNonQueryAsync();
        }

        await using var transaction = await other.BeginTransactionAsync();
        await TouchAsync(other, grainType, "b");
        var together = store.TryWriteTogetherAsync(
            [(first, new GrainWrite("{\"n\":2}", 1, [], [], null, null)), (second, new GrainWrite("{\"n\":2}", 1, [], [], null, null))], default);
        await Eventually.HoldsAsync(
            async () =>
            {
                await using var waiting = fixture.Admin.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'");
                waiting.Parameters.Add(new NpgsqlParameter<string> { TypedValue = application });
                return (long)(await waiting.ExecuteScalarAsync())! == 1;
            },
            TimeSpan.FromSeconds(15),
            () => "the batch to wait for the second row's lock");

        // Now the other transaction wants the first row, which the batch holds: a cycle.
        var touchFirst = TouchAsync(other, grainType, "a");

        Assert.False(await together.WaitAsync(TimeSpan.FromSeconds(30)));
        await touchFirst;
        await transaction.RollbackAsync();
        foreach (var grain in new[] { first, second })
        {
            Assert.Equal(new StoredGrainState("{\"n\": 1}", 1), await store.ReadAsync(grain, default));
            Assert.Equal(2, await store.WriteAsync(grain, new GrainWrite("{\"n\":3}", 1, [], [], null, null), default));
        }
    }

    /// <summary>Creates each grain's state, <c>{"n":1}</c> at ETag 1.</summary>
    private static async Task WriteFirstAsync(PostgresStore store, IEnumerable<GrainId> grains, string? label)
    {
        foreach (var grain in grains)
        {
            await store.WriteAsync(grain, new GrainWrite("{\"n\":1}", 0, [], [], label, null), default);
        }
    }

    private static async Task TouchAsync(NpgsqlConnection connection, string grainType, string key)
    {
        await using var touch = new NpgsqlCommand("UPDATE grain_state SET etag = etag WHERE grain_type = $1 AND grain_key = $2", connection);
        touch.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainType });
        touch.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        Assert.Equal(1, await touch.ExecuteNonQueryAsync());
    }

    private static GrainWrite WriteWithLedger(GrainId grain, long expectedETag) => new(
        "{\"n\":1}", expectedETag, [new LedgerRecord(grain.Key, 1, "{\"seq\":1}", "hash")], [], null, null);
}
