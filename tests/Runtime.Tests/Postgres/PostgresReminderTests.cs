using Governance.Runtime.Postgres;
using Governance.Runtime.Reminders;
using Governance.Runtime.Storage;
using Npgsql;

namespace Governance.Runtime.Tests.Postgres;

/// <summary>The reminder table of <see cref="PostgresStore"/>.</summary>
/// <remarks>Tests share the class schema: each uses a grain type of its own and looks only at its rows.</remarks>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresReminderTests(PostgresFixture fixture) : IAsyncLifetime
{
    private static readonly int[] AllPartitions = [.. Enumerable.Range(0, Partitioning.PartitionCount)];
    private static readonly DateTimeOffset T0 = new(2030, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private PostgresStore _store = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = await fixture.SchemaForAsync(GetType());
        _store = new PostgresStore(_dataSource);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Due_reminders_come_earliest_first_and_only_when_due()
    {
        var grainType = NewGrainType();
        var a = new GrainId(grainType, "a");
        var b = new GrainId(grainType, "b");
        await _store.UpsertAsync(a, new ReminderChange("third", T0.AddSeconds(3)), default);
        await _store.UpsertAsync(b, new ReminderChange("first", T0.AddSeconds(1), TimeSpan.FromMinutes(5)), default);
        await _store.UpsertAsync(a, new ReminderChange("second", T0.AddSeconds(2)), default);
        await _store.UpsertAsync(b, new ReminderChange("later", T0.AddHours(1)), default);

        var due = await DueOf(grainType, AllPartitions, T0.AddSeconds(5));

        Assert.Equal(
            [
                new DueReminder(b, "first", T0.AddSeconds(1), TimeSpan.FromMinutes(5)),
                new DueReminder(a, "second", T0.AddSeconds(2), null),
                new DueReminder(a, "third", T0.AddSeconds(3), null),
            ],
            due);

        // "At or before now": a reminder due exactly now is due.
        Assert.Equal(["first"], (await DueOf(grainType, AllPartitions, T0.AddSeconds(1))).Select(r => r.Name));
        Assert.Empty(await DueOf(grainType, AllPartitions, T0));
    }

    [Fact]
    public async Task Only_the_asked_partitions_are_fetched()
    {
        var grainType = NewGrainType();

        // Two keys in different partitions.
        var first = new GrainId(grainType, "k0");
        var second = Enumerable.Range(1, 100)
            .Select(i => new GrainId(grainType, "k" + i))
            .First(grain => grain.Partition != first.Partition);
        await _store.UpsertAsync(first, new ReminderChange("r", T0), default);
        await _store.UpsertAsync(second, new ReminderChange("r", T0), default);

        Assert.Equal([first], (await DueOf(grainType, [first.Partition], T0)).Select(r => r.Grain));
        Assert.Equal([second], (await DueOf(grainType, [second.Partition], T0)).Select(r => r.Grain));
        Assert.Equal(2, (await DueOf(grainType, [first.Partition, second.Partition], T0)).Count);
        Assert.Empty(await _store.GetDueAsync([], T0, 10, default));
    }

    [Fact]
    public async Task Upserting_moves_a_reminder_and_removing_deletes_it()
    {
        var grain = new GrainId(NewGrainType(), "k");
        await _store.UpsertAsync(grain, new ReminderChange("r", T0), default);
        await _store.UpsertAsync(grain, new ReminderChange("r", T0.AddMinutes(1), TimeSpan.FromSeconds(30)), default);

        var reminder = Assert.Single(await DueOf(grain.Type, AllPartitions, T0.AddHours(1)));
        Assert.Equal(T0.AddMinutes(1), reminder.DueAt);
        Assert.Equal(TimeSpan.FromSeconds(30), reminder.Period);

        await _store.UpsertAsync(grain, ReminderChange.Remove("r"), default);
        Assert.Empty(await DueOf(grain.Type, AllPartitions, T0.AddHours(1)));
        Assert.Equal(0, await CountRows(grain));
    }

    [Fact]
    public async Task Instants_with_any_offset_are_stored_as_the_same_instant()
    {
        var grain = new GrainId(NewGrainType(), "k");
        var dueAt = new DateTimeOffset(2030, 3, 1, 11, 0, 0, TimeSpan.FromHours(2)); // 09:00 UTC
        await _store.UpsertAsync(grain, new ReminderChange("r", dueAt), default);

        var reminder = Assert.Single(await DueOf(grain.Type, AllPartitions, T0));
        Assert.Equal(dueAt, reminder.DueAt);
        Assert.Equal(TimeSpan.Zero, reminder.DueAt.Offset);
    }

    [Fact]
    public async Task Completing_a_one_shot_reminder_deletes_it()
    {
        var grain = new GrainId(NewGrainType(), "k");
        await _store.UpsertAsync(grain, new ReminderChange("once", T0), default);
        var due = Assert.Single(await DueOf(grain.Type, AllPartitions, T0));

        await _store.CompleteAsync(due, null, default);

        Assert.Empty(await DueOf(grain.Type, AllPartitions, T0.AddYears(1)));
        Assert.Equal(0, await CountRows(grain));
    }

    [Fact]
    public async Task Completing_a_periodic_reminder_advances_it()
    {
        var grain = new GrainId(NewGrainType(), "k");
        var period = TimeSpan.FromMinutes(1);
        await _store.UpsertAsync(grain, new ReminderChange("tick", T0, period), default);
        var due = Assert.Single(await DueOf(grain.Type, AllPartitions, T0));

        await _store.CompleteAsync(due, due.DueAt + period, default);

        Assert.Empty(await DueOf(grain.Type, AllPartitions, T0.AddSeconds(59)));
        var next = Assert.Single(await DueOf(grain.Type, AllPartitions, T0 + period));
        Assert.Equal(new DueReminder(grain, "tick", T0 + period, period), next);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Completing_after_re_registration_does_nothing(bool periodic)
    {
        var grain = new GrainId(NewGrainType(), "k");
        TimeSpan? period = periodic ? TimeSpan.FromMinutes(1) : null;
        await _store.UpsertAsync(grain, new ReminderChange("r", T0, period), default);
        var delivered = Assert.Single(await DueOf(grain.Type, AllPartitions, T0));

        // Re-registered while the delivery was in flight, both later and earlier than before.
        foreach (var reRegistered in new[] { T0.AddHours(2), T0.AddSeconds(-30) })
        {
            await _store.UpsertAsync(grain, new ReminderChange("r", reRegistered, period), default);

            await _store.CompleteAsync(delivered, periodic ? T0 + period!.Value : null, default);

            var current = Assert.Single(await DueOf(grain.Type, AllPartitions, T0.AddYears(1)));
            Assert.Equal(reRegistered, current.DueAt);
        }
    }

    [Fact]
    public async Task Completing_matches_despite_sub_microsecond_precision()
    {
        // timestamptz keeps microseconds; the 7 extra ticks (700 ns) are truncated on every way in,
        // so both the value read back and the one originally registered identify the reminder.
        var grain = new GrainId(NewGrainType(), "k");
        var precise = T0.AddTicks(12_345_677);
        await _store.UpsertAsync(grain, new ReminderChange("a", precise), default);
        await _store.UpsertAsync(grain, new ReminderChange("b", precise), default);

        var read = await DueOf(grain.Type, AllPartitions, T0.AddSeconds(2));
        Assert.Equal(2, read.Count);
        Assert.All(read, r => Assert.Equal(T0.AddTicks(12_345_670), r.DueAt));

        await _store.CompleteAsync(read[0], null, default);
        await _store.CompleteAsync(new DueReminder(grain, "b", precise, null), null, default);

        Assert.Equal(0, await CountRows(grain));
    }

    [Fact]
    public async Task A_state_write_applies_its_reminder_changes()
    {
        var grain = new GrainId(NewGrainType(), "k");
        await _store.WriteAsync(
            grain,
            new GrainWrite("{}", 0, [], [new ReminderChange("a", T0), new ReminderChange("b", T0.AddSeconds(1))], null, null),
            default);
        await _store.WriteAsync(
            grain,
            new GrainWrite("{}", 1, [], [ReminderChange.Remove("a"), new ReminderChange("b", T0.AddSeconds(2))], null, null),
            default);

        var due = Assert.Single(await DueOf(grain.Type, AllPartitions, T0.AddHours(1)));
        Assert.Equal(new DueReminder(grain, "b", T0.AddSeconds(2), null), due);
    }

    private async Task<List<DueReminder>> DueOf(string grainType, int[] partitions, DateTimeOffset now) =>
        [.. (await _store.GetDueAsync(partitions, now, 100_000, default)).Where(r => r.Grain.Type == grainType)];

    private async Task<long> CountRows(GrainId grain)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT count(*) FROM reminders WHERE grain_type = $1 AND grain_key = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grain.Type });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grain.Key });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string NewGrainType() => "reminder-test-" + Guid.NewGuid().ToString("N");
}
