using Governance.Storage.Postgres;
using Npgsql;
using Orleans.Storage;
using static Governance.Storage.Tests.Contract.TestStates;

namespace Governance.Storage.Tests.Postgres;

/// <summary>Group commit: concurrent writes share transactions, yet each keeps its own ETag check and outcome.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresGroupCommitTests(PostgresFixture fixture) : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;
    private PostgresGrainStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _dataSource = await fixture.SchemaForAsync(GetType());
        _storage = new PostgresGrainStorage(_dataSource, TestJsonContext.StorageOptions());
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task Many_concurrent_writes_of_different_grains_all_commit_with_their_ledger_rows_in_fewer_transactions()
    {
        var grains = Enumerable.Range(0, 300).Select(_ => NewGrain("group-all")).ToList();

        var states = await Task.WhenAll(grains.Select(grain => Task.Run(async () =>
        {
            var state = Staged(null, new TestValue("all", 1), [Row(grain, 1)]);
            await _storage.WriteStateAsync("state", grain, state);
            return state;
        })));

        Assert.All(states, state => Assert.Equal("1", state.ETag));
        var ledger = new PostgresLedgerReader(_dataSource);
        foreach (var grain in grains)
        {
            var read = Empty();
            await _storage.ReadStateAsync("state", grain, read);
            Assert.Equal("1", read.ETag);
            Assert.Single(await ledger.ReadAsync(ChainOf(grain), 0, 10, default));
        }

        // Rows written by one transaction share its xmin: fewer transactions than writes.
        await using var transactions = _dataSource.CreateCommand("SELECT count(DISTINCT xmin::text) FROM grain_state WHERE grain_type = $1");
        transactions.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grains[0].Type.ToString()! });
        var commits = (long)(await transactions.ExecuteScalarAsync())!;
        Assert.InRange(commits, 1, grains.Count - 1);
    }

    [Fact]
    public async Task A_conflicting_write_among_concurrent_ones_fails_alone_and_leaves_no_trace()
    {
        var grains = Enumerable.Range(0, 100).Select(_ => NewGrain("group-mixed")).ToList();
        bool IsStale(int index) => index % 7 == 0;
        bool HasDuplicateRow(int index) => index % 11 == 5;

        // Grains with a duplicate row hold seq 1 already.
        foreach (var (grain, index) in grains.Select((g, i) => (g, i)).Where(p => HasDuplicateRow(p.i)))
        {
            await _storage.WriteStateAsync("state", grain, Staged(null, new TestValue("before", 1), [Row(grain, 1)]));
        }

        var outcomes = await Task.WhenAll(grains.Select((grain, index) => Task.Run(async () =>
        {
            var state = HasDuplicateRow(index)
                ? Staged("1", new TestValue("dup", 2), [Row(grain, 1, "{\"dup\":1}")])
                : Staged(IsStale(index) ? "5" : null, new TestValue("mixed", 1), [Row(grain, 1)]);
            try
            {
                await _storage.WriteStateAsync("state", grain, state);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        })));

        var ledger = new PostgresLedgerReader(_dataSource);
        for (var index = 0; index < grains.Count; index++)
        {
            var failed = IsStale(index) || HasDuplicateRow(index);
            Assert.Equal(!failed, outcomes[index]);
            var read = Empty();
            await _storage.ReadStateAsync("state", grains[index], read);
            var rows = await ledger.ReadAsync(ChainOf(grains[index]), 0, 10, default);
            if (HasDuplicateRow(index))
            {
                Assert.Equal(new TestValue("before", 1), read.State.Value);
                Assert.Equal([Row(grains[index], 1)], rows);
            }
            else
            {
                Assert.Equal(IsStale(index) ? null : "1", read.ETag);
                Assert.Equal(IsStale(index) ? 0 : 1, rows.Count);
            }
        }
    }

    [Fact]
    public async Task One_batch_updates_every_grain_when_each_etag_matches_and_none_when_one_is_stale()
    {
        var grainType = "storage-test-together-" + Guid.NewGuid().ToString("N");
        var grains = Enumerable.Range(0, 10).Select(i => GrainId.Create(grainType, $"g-{i:D2}")).ToList();
        foreach (var grain in grains)
        {
            await _storage.WriteStateAsync("state", grain, Staged(null, new TestValue("first", 1), [], "first"));
        }

        PostgresStateWrite Write(GrainId grain, long etag, string name) =>
            new(grain, grainType, grain.Key.ToString()!, etag, $"{{\"name\":\"{name}\",\"count\":2}}", [], name, null);

        Assert.True(await _storage.TryWriteTogetherAsync([.. grains.Select(g => Write(g, 1, "second"))], default));
        Assert.False(await _storage.TryWriteTogetherAsync([.. grains.Select((g, i) => Write(g, i == 9 ? 1 : 2, "third"))], default));

        var listed = await new PostgresGrainStateListing(_dataSource).ListAsync(new GrainListingQuery(grainType, null, null, null, 100), default);
        Assert.Equal(Enumerable.Repeat("second", 10), listed.Select(row => row.Label));
        foreach (var grain in grains)
        {
            var read = Empty();
            await _storage.ReadStateAsync("state", grain, read);
            Assert.Equal(("2", new TestValue("second", 2)), (read.ETag, read.State.Value));
        }
    }

    [Fact]
    public async Task One_batch_appends_several_rows_per_chain_and_refuses_all_when_one_chain_would_get_a_gap()
    {
        var grains = Enumerable.Range(0, 4).Select(_ => NewGrain("group-chains")).ToList();
        await _storage.WriteStateAsync("state", grains[0], Staged(null, new TestValue("first", 1), [Row(grains[0], 1)]));

        PostgresStateWrite Write(GrainId grain, long etag, params long[] seqs) =>
            new(grain, grain.Type.ToString()!, grain.Key.ToString()!, etag, "{\"name\":\"n\",\"count\":1}", [.. seqs.Select(seq => Row(grain, seq))], null, null);

        // Out of order within the batch on purpose: each chain is checked by rank, not by position.
        Assert.True(await _storage.TryWriteTogetherAsync([Write(grains[0], 1, 3, 2), Write(grains[1], 0, 1, 2, 3)], default));

        // A gap in one chain (seq 5 after 3), or a chain that does not start at 1, refuses the whole batch.
        Assert.False(await _storage.TryWriteTogetherAsync([Write(grains[0], 2, 4, 5), Write(grains[2], 0, 1, 3)], default));
        Assert.False(await _storage.TryWriteTogetherAsync([Write(grains[0], 2, 4), Write(grains[3], 0, 2)], default));

        var ledger = new PostgresLedgerReader(_dataSource);
        Assert.Equal([1L, 2, 3], (await ledger.ReadAsync(ChainOf(grains[0]), 0, 10, default)).Select(row => row.Seq));
        Assert.Equal([1L, 2, 3], (await ledger.ReadAsync(ChainOf(grains[1]), 0, 10, default)).Select(row => row.Seq));
        Assert.Empty(await ledger.ReadAsync(ChainOf(grains[2]), 0, 10, default));
        Assert.Empty(await ledger.ReadAsync(ChainOf(grains[3]), 0, 10, default));
        var read = Empty();
        await _storage.ReadStateAsync("state", grains[0], read);
        Assert.Equal("2", read.ETag);
    }
}
