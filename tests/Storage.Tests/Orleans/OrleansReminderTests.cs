using Governance.Storage.Tests.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace Governance.Storage.Tests.Orleans;

/// <summary>Orleans' ADO.NET reminders on our schema, end to end.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OrleansReminderTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan LongPeriod = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Reminder_fires_and_its_row_lives_exactly_while_it_is_registered()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var cluster = OrleansTestCluster.On(dataSource, fixture.ConnectionString);
        await using var silo = await OrleansTestHost.StartSiloAsync("silo-a", cluster, output);
        var key = $"probe-{Guid.NewGuid():N}";
        var grain = silo.GrainFactory.GetGrain<IReminderProbeGrain>(key);
        var registeredAt = DateTimeOffset.UtcNow;

        await grain.Register("soon", TimeSpan.FromSeconds(1), LongPeriod);

        var row = await ReminderRowAsync(dataSource, cluster.ServiceId, grain.GetGrainId().ToString(), "soon");
        Assert.NotNull(row);
        Assert.Equal((long)LongPeriod.TotalMilliseconds, row.PeriodMs);
        Assert.Equal(unchecked((int)grain.GetGrainId().GetUniformHashCode()), row.GrainHash);
        var tick = await ReminderSink.WaitForAsync(key, "soon", TimeSpan.FromSeconds(15));
        Assert.NotNull(tick);
        Assert.InRange(tick.At - registeredAt, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(10));
        Assert.Equal(silo.SiloAddress, tick.SiloAddress);

        Assert.True(await grain.Unregister("soon"));

        Assert.Null(await ReminderRowAsync(dataSource, cluster.ServiceId, grain.GetGrainId().ToString(), "soon"));
        Assert.False(await grain.Unregister("soon"));
    }

    [Fact]
    public async Task Ninety_day_due_time_is_accepted_and_stored()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var cluster = OrleansTestCluster.On(dataSource, fixture.ConnectionString);
        await using var silo = await OrleansTestHost.StartSiloAsync("silo-a", cluster, output);
        var grain = silo.GrainFactory.GetGrain<IReminderProbeGrain>($"probe-{Guid.NewGuid():N}");

        await grain.Register("expiry", TimeSpan.FromDays(90), TimeSpan.FromDays(1));

        var row = await ReminderRowAsync(dataSource, cluster.ServiceId, grain.GetGrainId().ToString(), "expiry");
        Assert.NotNull(row);
        Assert.InRange(row.StartTime - DateTimeOffset.UtcNow, TimeSpan.FromDays(90) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(90));
        Assert.Equal((long)TimeSpan.FromDays(1).TotalMilliseconds, row.PeriodMs);
        Assert.True(await grain.Unregister("expiry"));
    }

    [Fact]
    public async Task Reminder_registered_on_a_silo_that_stops_fires_on_the_second_silo()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var cluster = OrleansTestCluster.On(dataSource, fixture.ConnectionString);
        await using var first = await OrleansTestHost.StartSiloAsync("silo-a", cluster, output);
        var key = $"probe-{Guid.NewGuid():N}";

        // Only the first silo exists: it owns the whole ring and so this reminder.
        await first.GrainFactory.GetGrain<IReminderProbeGrain>(key).Register("handover", TimeSpan.FromSeconds(12), LongPeriod);

        await using var second = await OrleansTestHost.StartSiloAsync("silo-b", cluster, output);
        await first.StopAsync();
        Assert.Empty(ReminderSink.For(key, "handover"));

        var tick = await ReminderSink.WaitForAsync(key, "handover", TimeSpan.FromSeconds(40));
        Assert.NotNull(tick);
        Assert.Equal(second.SiloAddress, tick.SiloAddress);
        Assert.True(await second.GrainFactory.GetGrain<IReminderProbeGrain>(key).Unregister("handover"));
    }

    private static async Task<ReminderRow?> ReminderRowAsync(NpgsqlDataSource dataSource, string serviceId, string grainId, string name)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT start_time, period_ms, grain_hash FROM orleans_reminders
            WHERE service_id = $1 AND grain_id = $2 AND reminder_name = $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new ReminderRow(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1), reader.GetInt32(2))
            : null;
    }

    private sealed record ReminderRow(DateTimeOffset StartTime, long PeriodMs, int GrainHash);
}
