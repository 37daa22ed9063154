using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Governance.Runtime;
using Governance.Runtime.Storage;

namespace Governance.Runtime.Tests.Activation;

public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Reads, yields, then writes: lost updates show up unless turns serialize calls.</summary>
    Task<int> Increment();

    [ReadOnly]
    Task<int> Peek();

    /// <summary>Holds its turn until <see cref="CounterGrain.Gate"/> opens.</summary>
    Task Block();

    Task Remind(string name, DateTimeOffset dueAt, TimeSpan? period);

    /// <summary>Increments in memory only (<see cref="Grain{TState}.KeepUnsaved"/>).</summary>
    Task IncrementUnsaved();

    /// <summary>Writes what was kept unsaved; false when a reload dropped some of it.</summary>
    Task<bool> SaveKept();
}

public sealed record CounterState(int Value, int Reminders, int Activations);

[JsonSerializable(typeof(CounterState))]
internal sealed partial class CounterJsonContext : JsonSerializerContext;

[GrainType("counter")]
public sealed class CounterGrain : Grain<CounterState>, ICounterGrain, IRemindable
{
    public static TaskCompletionSource Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static int FailRemindersRemaining { get; set; }

    protected override JsonTypeInfo<CounterState> StateTypeInfo => CounterJsonContext.Default.CounterState;

    protected override CounterState CreateEmptyState() => new(0, 0, 0);

    public async Task<int> Increment()
    {
        var next = State.Value + 1;
        await Task.Yield();
        await WriteStateAsync(State with { Value = next }, [], []);
        return next;
    }

    public Task<int> Peek() => Task.FromResult(State.Value);

    public Task IncrementUnsaved()
    {
        KeepUnsaved(State with { Value = State.Value + 1 });
        return Task.CompletedTask;
    }

    public async Task<bool> SaveKept()
    {
        if (TakeUnsavedStateLost())
        {
            return false;
        }

        await SaveUnsavedStateAsync();
        return true;
    }

    public Task Block() => Gate.Task;

    public Task Remind(string name, DateTimeOffset dueAt, TimeSpan? period) =>
        WriteStateAsync(State, [], [new ReminderChange(name, dueAt, period)]);

    public async Task ReceiveReminder(string name, DateTimeOffset dueAt)
    {
        if (FailRemindersRemaining > 0)
        {
            FailRemindersRemaining--;
            throw new InvalidOperationException("Reminder handler failed on purpose.");
        }

        await WriteStateAsync(State with { Reminders = State.Reminders + 1 }, [], []);
    }

    protected override Task OnActivateAsync(CancellationToken cancellationToken) =>
        WriteStateAsync(State with { Activations = State.Activations + 1 }, [], [], cancellationToken);
}
