using System.Text.Json;

namespace Governance.Runtime.Tests.Activation;

[Trait("Category", "Unit")]
public sealed class ReminderDeliveryTests
{
    [Fact]
    public async Task A_due_one_shot_reminder_is_delivered_once_and_removed()
    {
        using var runtime = new RuntimeHarness();
        var grain = runtime.Grains.GetGrain<ICounterGrain>("one-shot");
        await grain.Remind("wake", runtime.Clock.GetUtcNow().AddSeconds(5), period: null);

        Assert.Equal(0, await runtime.Reminders.DeliverDueAsync(CancellationToken.None));
        runtime.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, await runtime.Reminders.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(0, await runtime.Reminders.DeliverDueAsync(CancellationToken.None));

        Assert.Equal(1, await RemindersReceived(runtime, "one-shot"));
        Assert.Equal(0, runtime.Store.PendingReminderCount);
    }

    [Fact]
    public async Task A_failed_delivery_stays_due_and_is_retried()
    {
        using var runtime = new RuntimeHarness();
        var grain = runtime.Grains.GetGrain<ICounterGrain>("retry");
        await grain.Remind("wake", runtime.Clock.GetUtcNow(), period: null);
        CounterGrain.FailRemindersRemaining = 1;

        await runtime.Reminders.DeliverDueAsync(CancellationToken.None);
        Assert.Equal(1, runtime.Store.PendingReminderCount);
        await runtime.Reminders.DeliverDueAsync(CancellationToken.None);

        Assert.Equal(1, await RemindersReceived(runtime, "retry"));
        Assert.Equal(0, runtime.Store.PendingReminderCount);
    }

    [Fact]
    public async Task A_periodic_reminder_moves_to_its_next_period_skipping_missed_ones()
    {
        using var runtime = new RuntimeHarness();
        var grain = runtime.Grains.GetGrain<ICounterGrain>("periodic");
        var start = runtime.Clock.GetUtcNow();
        await grain.Remind("tick", start, TimeSpan.FromSeconds(10));
        runtime.Clock.Advance(TimeSpan.FromSeconds(35));

        await runtime.Reminders.DeliverDueAsync(CancellationToken.None);
        Assert.Equal(0, await runtime.Reminders.DeliverDueAsync(CancellationToken.None));
        runtime.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, await runtime.Reminders.DeliverDueAsync(CancellationToken.None));

        Assert.Equal(2, await RemindersReceived(runtime, "periodic"));
    }

    private static async Task<int> RemindersReceived(RuntimeHarness runtime, string key)
    {
        var stored = await runtime.Store.ReadAsync(new GrainId("counter", key), CancellationToken.None);
        return JsonSerializer.Deserialize(stored!.Json, CounterJsonContext.Default.CounterState)!.Reminders;
    }
}
