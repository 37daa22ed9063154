using System.Text.Json.Nodes;
using Governance.Runtime.Memory;
using Governance.Runtime.Postgres;
using Governance.Runtime.Reminders;
using Governance.Runtime.Storage;
using Npgsql;

namespace Governance.Runtime.Tests.Postgres;

/// <summary>State writes, ETag checks, atomicity and listings of <see cref="PostgresStore"/>.</summary>
/// <remarks>Tests share the class schema, so each uses grain types and chains of its own.</remarks>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresStoreTests(PostgresFixture fixture) : IAsyncLifetime
{
    private static readonly int[] AllPartitions = [.. Enumerable.Range(0, Partitioning.PartitionCount)];
    private static readonly DateTimeOffset FarFuture = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private NpgsqlDataSource _dataSource = null!;
    private PostgresStore _store = null!;

    public async Task InitializeAsync()
    {
        _dataSource = await fixture.SchemaForAsync(GetType());
        _store = new PostgresStore(_dataSource);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task First_write_then_read_returns_the_state_and_etag()
    {
        var grain = NewGrain("first");
        var ledgerEntry = new LedgerRecord(grain.ToString(), 1, "{\"z\":1,  \"a\":[2, 1]}", "hash-1");

        var etag = await _store.WriteAsync(grain, Write("{\"count\": 1, \"name\": \"x\"}", 0, [ledgerEntry]), default);

        Assert.Equal(1, etag);
        var stored = await _store.ReadAsync(grain, default);
        Assert.NotNull(stored);
        Assert.Equal(1, stored.ETag);
        AssertJsonEqual("{\"name\":\"x\",\"count\":1}", stored.Json);

        // The ledger keeps the entry's exact text (its hash covers those bytes).
        var ledger = await _store.ReadLedgerAsync(grain.ToString(), 0, 10, default);
        Assert.Equal([ledgerEntry], ledger);

        etag = await _store.WriteAsync(grain, Write("{\"count\": 2}", 1), default);
        Assert.Equal(2, etag);
        stored = await _store.ReadAsync(grain, default);
        Assert.Equal(2, stored!.ETag);
        AssertJsonEqual("{\"count\":2}", stored.Json);
    }

    [Fact]
    public async Task Reading_an_unwritten_grain_returns_null()
    {
        Assert.Null(await _store.ReadAsync(NewGrain("never"), default));
        Assert.Empty(await _store.ReadLedgerAsync("no-such-chain", 0, 10, default));
    }

    [Fact]
    public async Task A_stale_etag_conflicts_and_leaves_the_state_unchanged()
    {
        var grain = NewGrain("stale");
        await _store.WriteAsync(grain, Write("{\"v\": 1}", 0), default);
        await _store.WriteAsync(grain, Write("{\"v\": 2}", 1), default);

        var stale = await Assert.ThrowsAsync<ETagConflictException>(
            () => _store.WriteAsync(grain, Write("{\"v\": 99}", 1), default));
        Assert.Equal(grain, stale.Grain);
        Assert.Equal(1, stale.ExpectedETag);

        // Expecting a first write when the row exists is a conflict too.
        await Assert.ThrowsAsync<ETagConflictException>(
            () => _store.WriteAsync(grain, Write("{\"v\": 100}", 0), default));

        // So is expecting an ETag from the future.
        await Assert.ThrowsAsync<ETagConflictException>(
            () => _store.WriteAsync(grain, Write("{\"v\": 101}", 7), default));

        var stored = await _store.ReadAsync(grain, default);
        Assert.Equal(2, stored!.ETag);
        AssertJsonEqual("{\"v\":2}", stored.Json);
    }

    [Fact]
    public async Task Expecting_an_existing_etag_for_an_unwritten_grain_conflicts()
    {
        var grain = NewGrain("ghost");
        await Assert.ThrowsAsync<ETagConflictException>(() => _store.WriteAsync(grain, Write("{}", 3), default));
        Assert.Null(await _store.ReadAsync(grain, default));
    }

    [Fact]
    public async Task A_duplicate_ledger_entry_rolls_back_the_whole_write()
    {
        var grain = NewGrain("atomic");
        var chain = grain.ToString();
        var first = new LedgerRecord(chain, 1, "{\"n\":1}", "h1");
        var dueAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await _store.WriteAsync(
            grain,
            Write("{\"v\": 1}", 0, [first], [new ReminderChange("keep", dueAt)]),
            default);

        // seq 2 is new and is inserted before seq 1 collides: the rollback must take it back too,
        // along with the state and both reminder changes.
        var write = Write(
            "{\"v\": 2}",
            1,
            [new LedgerRecord(chain, 2, "{\"n\":2}", "h2"), new LedgerRecord(chain, 1, "{\"n\":\"dup\"}", "hx")],
            [ReminderChange.Remove("keep"), new ReminderChange("added", dueAt)]);
        await Assert.ThrowsAsync<ETagConflictException>(() => _store.WriteAsync(grain, write, default));

        var stored = await _store.ReadAsync(grain, default);
        Assert.Equal(1, stored!.ETag);
        AssertJsonEqual("{\"v\":1}", stored.Json);
        Assert.Equal([first], await _store.ReadLedgerAsync(chain, 0, 10, default));
        var reminders = await RemindersOf(grain);
        Assert.Equal(["keep"], reminders.Select(r => r.Name));

        // The same write without the duplicate goes through with everything in it.
        var fixedWrite = write with { Ledger = [write.Ledger[0]] };
        Assert.Equal(2, await _store.WriteAsync(grain, fixedWrite, default));
        Assert.Equal([first, write.Ledger[0]], await _store.ReadLedgerAsync(chain, 0, 10, default));
        Assert.Equal(["added"], (await RemindersOf(grain)).Select(r => r.Name));
    }

    [Fact]
    public async Task A_gap_in_a_ledger_chain_conflicts_as_in_the_memory_store()
    {
        var grain = NewGrain("gap");
        var chain = grain.ToString();
        var write = Write("{}", 0, [new LedgerRecord(chain, 2, "{}", "h")]);

        await Assert.ThrowsAsync<ETagConflictException>(() => new MemoryStore().WriteAsync(grain, write, default));
        await Assert.ThrowsAsync<ETagConflictException>(() => _store.WriteAsync(grain, write, default));

        Assert.Null(await _store.ReadAsync(grain, default));
        Assert.Empty(await _store.ReadLedgerAsync(chain, 0, 10, default));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Of_concurrent_writers_racing_one_etag_exactly_one_wins(bool existing)
    {
        var grain = NewGrain(existing ? "race-existing" : "race-new");
        var chain = grain.ToString();
        long expected = 0;
        if (existing)
        {
            expected = await _store.WriteAsync(grain, Write("{\"writer\": -1}", 0, [new LedgerRecord(chain, 1, "{}", "h")]), default);
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 16).Select(async writer =>
        {
            await start.Task;
            try
            {
                var ledger = new LedgerRecord(chain, expected + 1, $"{{\"writer\":{writer}}}", $"h{writer}");
                await _store.WriteAsync(grain, Write($"{{\"writer\": {writer}}}", expected, [ledger]), default);
                return (Writer: writer, Won: true);
            }
            catch (ETagConflictException)
            {
                return (Writer: writer, Won: false);
            }
        }).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(writers);

        var winner = Assert.Single(outcomes, outcome => outcome.Won);
        var stored = await _store.ReadAsync(grain, default);
        Assert.Equal(expected + 1, stored!.ETag);
        AssertJsonEqual($"{{\"writer\":{winner.Writer}}}", stored.Json);
        var ledger = await _store.ReadLedgerAsync(chain, expected, 10, default);
        Assert.Equal($"{{\"writer\":{winner.Writer}}}", Assert.Single(ledger).EntryJson);
    }

    [Fact]
    public async Task Ledger_reads_page_by_seq()
    {
        var grain = NewGrain("ledger-pages");
        var chain = grain.ToString();
        var entries = Enumerable.Range(1, 5).Select(seq => new LedgerRecord(chain, seq, $"{{\"seq\":{seq}}}", $"h{seq}")).ToList();
        await _store.WriteAsync(grain, Write("{}", 0, entries[..3]), default);
        await _store.WriteAsync(grain, Write("{}", 1, entries[3..]), default);

        Assert.Equal(entries[1..3], await _store.ReadLedgerAsync(chain, 1, 2, default));
        Assert.Equal(entries[3..], await _store.ReadLedgerAsync(chain, 3, 100, default));
        Assert.Empty(await _store.ReadLedgerAsync(chain, 5, 100, default));
        Assert.Empty(await _store.ReadLedgerAsync(chain, 0, 0, default));
    }

    [Fact]
    public async Task Listings_page_by_ordinal_key_with_labels_and_deadlines_as_the_memory_store_does()
    {
        var grainType = "listing-" + Guid.NewGuid().ToString("N");
        var memory = new MemoryStore();
        var t0 = new DateTimeOffset(2031, 5, 1, 12, 0, 0, TimeSpan.Zero);

        // Keys whose ordinal order differs from a linguistic one ("B" < "_" < "a", "Z" < "a").
        string[] keys = ["a", "B", "b", "_", "Z", "0", "a-1", "a1", "é", "aa", "A", "9z", "~", "ü"];
        for (var i = 0; i < keys.Length; i++)
        {
            var grain = new GrainId(grainType, keys[i]);
            var label = (i % 3) switch { 0 => "open", 1 => "closed", _ => null };
            DateTimeOffset? deadline = i % 2 == 0 ? t0.AddHours(i) : null;
            var write = Write($"{{\"i\": {i}}}", 0) with { Label = label, Deadline = deadline };
            await memory.WriteAsync(grain, write, default);
            await _store.WriteAsync(grain, write, default);
        }

        GrainListingQuery[] queries =
        [
            new(grainType, null, null, null, 100),
            new(grainType, "open", null, null, 100),
            new(grainType, null, t0.AddHours(6), null, 100),
            new(grainType, "closed", t0.AddHours(100), null, 100),
            new(grainType, null, null, "a", 100),
            new(grainType, "nothing-has-this-label", null, null, 100),
            new(grainType, null, null, null, 0),
        ];
        foreach (var query in queries)
        {
            AssertSameListing(await memory.ListAsync(query, default), await _store.ListAsync(query, default));
        }

        // Keyset paging three at a time visits every key once, in ordinal order.
        foreach (var label in new string?[] { null, "open" })
        {
            var paged = new List<string>();
            string? after = null;
            while (true)
            {
                var page = await _store.ListAsync(new GrainListingQuery(grainType, label, null, after, 3), default);
                var memoryPage = await memory.ListAsync(new GrainListingQuery(grainType, label, null, after, 3), default);
                AssertSameListing(memoryPage, page);
                if (page.Count == 0)
                {
                    break;
                }

                paged.AddRange(page.Select(row => row.Key));
                after = page[^1].Key;
            }

            var expected = keys
                .Where((_, i) => label is null || i % 3 == 0)
                .Order(StringComparer.Ordinal)
                .ToList();
            Assert.Equal(expected, paged);
        }
    }

    [Fact]
    public async Task Invalid_state_json_is_a_server_error_not_an_unavailable_store()
    {
        var grain = NewGrain("bad-json");
        var error = await Assert.ThrowsAsync<PostgresException>(() => _store.WriteAsync(grain, Write("{not json", 0), default));
        Assert.Equal(PostgresErrorCodes.InvalidTextRepresentation, error.SqlState);
        Assert.Null(await _store.ReadAsync(grain, default));
    }

    [Fact]
    public async Task A_cancelled_token_cancels_rather_than_reporting_the_store_unavailable()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _store.ReadAsync(NewGrain("cancelled"), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _store.WriteAsync(NewGrain("cancelled"), Write("{}", 0), cancelled.Token));
    }

    [Fact]
    public async Task Health_check_succeeds_against_a_live_server()
    {
        await _store.CheckHealthAsync(default);
    }

    private async Task<List<DueReminder>> RemindersOf(GrainId grain) =>
        [.. (await _store.GetDueAsync(AllPartitions, FarFuture, 10_000, default)).Where(r => r.Grain == grain)];

    private static GrainId NewGrain(string purpose) => new("store-test-" + purpose, Guid.NewGuid().ToString("N"));

    private static GrainWrite Write(
        string json,
        long expectedETag,
        IReadOnlyList<LedgerRecord>? ledger = null,
        IReadOnlyList<ReminderChange>? reminders = null) =>
        new(json, expectedETag, ledger ?? [], reminders ?? [], null, null);

    private static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)),
            $"Expected JSON {expected} but found {actual}");

    private static void AssertSameListing(IReadOnlyList<GrainListing> expected, IReadOnlyList<GrainListing> actual)
    {
        Assert.Equal(expected.Select(row => row.Key), actual.Select(row => row.Key));
        Assert.Equal(expected.Select(row => row.Label), actual.Select(row => row.Label));
        Assert.Equal(expected.Select(row => row.Deadline), actual.Select(row => row.Deadline));
        for (var i = 0; i < expected.Count; i++)
        {
            AssertJsonEqual(expected[i].StateJson, actual[i].StateJson);
        }
    }
}
