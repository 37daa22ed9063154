using Orleans.Storage;
using static Governance.Storage.Tests.Contract.TestStates;

namespace Governance.Storage.Tests.Contract;

/// <summary>
/// What both twins of the <c>governance</c> storage promise: ETag-checked writes, state and ledger
/// rows all or nothing, an append-only ledger, keyset-paged listings. Each twin runs these tests.
/// </summary>
public abstract class GrainStorageContractTests
{
    protected abstract IGrainStorage Storage { get; }

    protected abstract ILedgerReader Ledger { get; }

    protected abstract IGrainStateListing Listing { get; }

    [Fact]
    public async Task Reading_an_unwritten_grain_leaves_the_state_unset_without_an_etag()
    {
        var state = Empty();
        await Storage.ReadStateAsync("state", NewGrain("never"), state);

        Assert.False(state.State.HasValue);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Empty(await Ledger.ReadAsync("no-such-chain", 0, 10, default));
    }

    [Fact]
    public async Task A_write_stores_value_and_ledger_rows_then_sets_the_etag_and_clears_the_pending_rows()
    {
        var grain = NewGrain("first");
        LedgerRecord[] rows = [Row(grain, 1), Row(grain, 2)];
        var state = Staged(null, new TestValue("first", 2), rows, "trained", null);

        await Storage.WriteStateAsync("state", grain, state);

        Assert.Equal("1", state.ETag);
        Assert.True(state.RecordExists);
        Assert.Empty(state.State.PendingLedger);
        Assert.Equal(rows, await Ledger.ReadAsync(ChainOf(grain), 0, 10, default));

        var read = Empty();
        await Storage.ReadStateAsync("state", grain, read);
        Assert.Equal(new TestValue("first", 2), read.State.Value);
        Assert.Equal("1", read.ETag);
        Assert.True(read.RecordExists);

        read.State.Stage(new TestValue("second", 3), [Row(grain, 3)], null, null);
        await Storage.WriteStateAsync("state", grain, read);
        Assert.Equal("2", read.ETag);
        Assert.Equal([.. rows, Row(grain, 3)], await Ledger.ReadAsync(ChainOf(grain), 0, 10, default));
    }

    [Fact]
    public async Task A_stale_etag_throws_InconsistentStateException_and_changes_neither_state_nor_ledger()
    {
        var grain = NewGrain("stale");
        var first = Staged(null, new TestValue("v1", 1), [Row(grain, 1)]);
        await Storage.WriteStateAsync("state", grain, first);
        first.State.Stage(new TestValue("v2", 2), [Row(grain, 2)], null, null);
        await Storage.WriteStateAsync("state", grain, first);

        var stale = Staged("1", new TestValue("stale", 3), [Row(grain, 3)]);
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("state", grain, stale));
        Assert.Equal("2", error.StoredEtag);
        Assert.Equal("1", error.CurrentEtag);

        // Nothing was acknowledged: the grain keeps its ETag and its pending rows.
        Assert.Equal("1", stale.ETag);
        Assert.Single(stale.State.PendingLedger);

        // A first write over an existing row, and an ETag from the future, conflict too.
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteStateAsync("state", grain, Staged(null, new TestValue("again", 3), [Row(grain, 3)])));
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteStateAsync("state", grain, Staged("7", new TestValue("future", 3), [Row(grain, 3)])));

        var read = Empty();
        await Storage.ReadStateAsync("state", grain, read);
        Assert.Equal(new TestValue("v2", 2), read.State.Value);
        Assert.Equal("2", read.ETag);
        Assert.Equal([Row(grain, 1), Row(grain, 2)], await Ledger.ReadAsync(ChainOf(grain), 0, 10, default));
    }

    [Fact]
    public async Task Expecting_an_etag_for_an_unwritten_grain_conflicts()
    {
        var grain = NewGrain("ghost");
        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteStateAsync("state", grain, Staged("3", new TestValue("ghost", 0))));
        Assert.Null(error.StoredEtag);
        Assert.Equal("3", error.CurrentEtag);

        var read = Empty();
        await Storage.ReadStateAsync("state", grain, read);
        Assert.False(read.RecordExists);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Of_concurrent_writers_from_one_etag_exactly_one_wins(bool existing)
    {
        var grain = NewGrain(existing ? "race-existing" : "race-new");
        string? etag = null;
        var seq = 1;
        if (existing)
        {
            var first = Staged(null, new TestValue("first", 1), [Row(grain, 1)]);
            await Storage.WriteStateAsync("state", grain, first);
            (etag, seq) = (first.ETag, 2);
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 16).Select(async writer =>
        {
            await start.Task;
            var state = Staged(etag, new TestValue($"writer-{writer}", seq), [Row(grain, seq, $"{{\"writer\":{writer}}}")]);
            try
            {
                await Storage.WriteStateAsync("state", grain, state);
                return (Writer: writer, Won: true);
            }
            catch (InconsistentStateException)
            {
                return (Writer: writer, Won: false);
            }
        }).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(writers);

        var winner = Assert.Single(outcomes, outcome => outcome.Won);
        var read = Empty();
        await Storage.ReadStateAsync("state", grain, read);
        Assert.Equal(new TestValue($"writer-{winner.Writer}", seq), read.State.Value);
        Assert.Equal(existing ? "2" : "1", read.ETag);
        var row = Assert.Single(await Ledger.ReadAsync(ChainOf(grain), seq - 1, 10, default));
        Assert.Equal($"{{\"writer\":{winner.Writer}}}", row.EntryJson);
    }

    [Fact]
    public async Task A_write_whose_ledger_append_fails_commits_neither_the_state_nor_any_row()
    {
        var grain = NewGrain("atomic");
        var state = Staged(null, new TestValue("v1", 1), [Row(grain, 1)]);
        await Storage.WriteStateAsync("state", grain, state);

        // seq 2 is new and goes in before seq 1 collides: it must be taken back with the state.
        state.State.Stage(new TestValue("v2", 2), [Row(grain, 2), Row(grain, 1, "{\"dup\":true}")], "changed", null);
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("state", grain, state));
        Assert.Equal("1", error.StoredEtag);
        Assert.Equal("1", state.ETag);

        var read = Empty();
        await Storage.ReadStateAsync("state", grain, read);
        Assert.Equal(new TestValue("v1", 1), read.State.Value);
        Assert.Equal("1", read.ETag);
        Assert.Equal([Row(grain, 1)], await Ledger.ReadAsync(ChainOf(grain), 0, 10, default));

        // The same write without the duplicate goes through, rows and state together.
        state.State.Stage(new TestValue("v2", 2), [Row(grain, 2)], "changed", null);
        await Storage.WriteStateAsync("state", grain, state);
        await Storage.ReadStateAsync("state", grain, read);
        Assert.Equal(new TestValue("v2", 2), read.State.Value);
        Assert.Equal([Row(grain, 1), Row(grain, 2)], await Ledger.ReadAsync(ChainOf(grain), 0, 10, default));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task A_ledger_row_that_leaves_a_gap_in_its_chain_conflicts(long seq)
    {
        var grain = NewGrain("gap");
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteStateAsync("state", grain, Staged(null, new TestValue("gap", 0), [Row(grain, seq)])));

        var read = Empty();
        await Storage.ReadStateAsync("state", grain, read);
        Assert.False(read.RecordExists);
        Assert.Empty(await Ledger.ReadAsync(ChainOf(grain), -10, 10, default));
    }

    [Fact]
    public async Task Ledger_reads_page_by_seq()
    {
        var grain = NewGrain("ledger-pages");
        var rows = Enumerable.Range(1, 5).Select(seq => Row(grain, seq)).ToList();
        var state = Staged(null, new TestValue("pages", 3), rows[..3]);
        await Storage.WriteStateAsync("state", grain, state);
        state.State.Stage(new TestValue("pages", 5), rows[3..], null, null);
        await Storage.WriteStateAsync("state", grain, state);

        Assert.Equal(rows[1..3], await Ledger.ReadAsync(ChainOf(grain), 1, 2, default));
        Assert.Equal(rows[3..], await Ledger.ReadAsync(ChainOf(grain), 3, 100, default));
        Assert.Empty(await Ledger.ReadAsync(ChainOf(grain), 5, 100, default));
        Assert.Empty(await Ledger.ReadAsync(ChainOf(grain), 0, 0, default));
    }

    [Fact]
    public async Task Listings_filter_by_label_and_deadline_and_page_by_ordinal_key()
    {
        var grainType = "storage-test-listing-" + Guid.NewGuid().ToString("N");
        var t0 = new DateTimeOffset(2031, 5, 1, 12, 0, 0, TimeSpan.Zero);

        // Keys whose ordinal order differs from a linguistic one ("B" < "_" < "a", "Z" < "a").
        string[] keys = ["a", "B", "b", "_", "Z", "0", "a-1", "a1", "é", "aa", "A", "9z", "~", "ü"];
        for (var i = 0; i < keys.Length; i++)
        {
            var label = (i % 3) switch { 0 => "open", 1 => "closed", _ => null };
            DateTimeOffset? deadline = i % 2 == 0 ? t0.AddHours(i) : null;
            await Storage.WriteStateAsync("state", GrainId.Create(grainType, keys[i]), Staged(null, new TestValue(keys[i], i), [], label, deadline));
        }

        var all = await Listing.ListAsync(new GrainListingQuery(grainType, null, null, null, 100), default);
        Assert.Equal(keys.Order(StringComparer.Ordinal), all.Select(row => row.Key));
        var a = all.Single(row => row.Key == "a");
        Assert.Equal(("open", t0), (a.Label, a.Deadline));
        Assert.Contains("\"name\":", a.StateJson.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var open = await Listing.ListAsync(new GrainListingQuery(grainType, "open", null, null, 100), default);
        Assert.Equal(keys.Where((_, i) => i % 3 == 0).Order(StringComparer.Ordinal), open.Select(row => row.Key));

        var due = await Listing.ListAsync(new GrainListingQuery(grainType, null, t0.AddHours(6), null, 100), default);
        Assert.Equal(keys.Where((_, i) => i % 2 == 0 && i <= 6).Order(StringComparer.Ordinal), due.Select(row => row.Key));

        Assert.Empty(await Listing.ListAsync(new GrainListingQuery(grainType, "nothing-has-this-label", null, null, 100), default));
        Assert.Empty(await Listing.ListAsync(new GrainListingQuery(grainType, null, null, null, 0), default));

        // Keyset paging three at a time visits every key once, in ordinal order.
        foreach (var label in new string?[] { null, "open" })
        {
            var paged = new List<string>();
            string? after = null;
            while (await Listing.ListAsync(new GrainListingQuery(grainType, label, null, after, 3), default) is { Count: > 0 } page)
            {
                Assert.True(page.Count <= 3);
                paged.AddRange(page.Select(row => row.Key));
                after = page[^1].Key;
            }

            Assert.Equal(keys.Where((_, i) => label is null || i % 3 == 0).Order(StringComparer.Ordinal), paged);
        }
    }

    [Fact]
    public async Task Clearing_deletes_the_state_under_its_etag_and_keeps_the_ledger()
    {
        var grain = NewGrain("clear");
        var state = Staged(null, new TestValue("v1", 1), [Row(grain, 1)]);
        await Storage.WriteStateAsync("state", grain, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync("state", grain, Staged("5", new TestValue("x", 0))));
        await Storage.ClearStateAsync("state", grain, state);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);

        var read = Empty();
        await Storage.ReadStateAsync("state", grain, read);
        Assert.False(read.RecordExists);
        Assert.Equal([Row(grain, 1)], await Ledger.ReadAsync(ChainOf(grain), 0, 10, default));

        // Pending ledger rows cannot be cleared away.
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Storage.ClearStateAsync("state", grain, Staged(null, new TestValue("x", 2), [Row(grain, 2)])));
    }

    [Fact]
    public async Task A_state_that_is_not_evidenced_is_refused_with_a_clear_message()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Storage.WriteStateAsync("state", NewGrain("plain"), new GrainState<TestValue>(new TestValue("plain", 0))));
        Assert.Contains(nameof(IEvidencedState), error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Storage.ReadStateAsync("state", NewGrain("plain"), new GrainState<TestValue>(new TestValue("plain", 0))));
    }
}
