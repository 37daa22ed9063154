using System.Text.Json;
using Governance.Runtime.Storage;

namespace Governance.Runtime.Tests.Activation;

[Trait("Category", "Unit")]
public sealed class GrainTurnTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Concurrent_calls_to_one_grain_run_one_turn_at_a_time()
    {
        using var runtime = new RuntimeHarness();
        var grain = runtime.Grains.GetGrain<ICounterGrain>("turns");

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => grain.Increment())));

        Assert.Equal(Enumerable.Range(1, 200), results.Order());
        Assert.Equal(200, await grain.Peek());
    }

    [Fact]
    public async Task A_read_only_call_does_not_wait_for_a_blocked_turn()
    {
        using var runtime = new RuntimeHarness();
        CounterGrain.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var grain = runtime.Grains.GetGrain<ICounterGrain>("snapshot");
        await grain.Increment();

        var blocked = grain.Block();
        var increment = grain.Increment();
        var peek = await grain.Peek().WaitAsync(Timeout);

        Assert.Equal(1, peek);
        Assert.False(increment.IsCompleted, "counter/snapshot: Increment must wait behind the blocked turn");
        CounterGrain.Gate.SetResult();
        await blocked.WaitAsync(Timeout);
        Assert.Equal(2, await increment.WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_stale_etag_reloads_the_state_and_retries_once_without_losing_the_other_write()
    {
        using var runtime = new RuntimeHarness();
        var grain = runtime.Grains.GetGrain<ICounterGrain>("conflict");
        await grain.Increment();
        var id = new GrainId("counter", "conflict");
        var stored = await runtime.Store.ReadAsync(id, CancellationToken.None);
        var outside = JsonSerializer.Deserialize(stored!.Json, CounterJsonContext.Default.CounterState)! with { Value = 10 };
        await runtime.Store.WriteAsync(id, new GrainWrite(JsonSerializer.Serialize(outside, CounterJsonContext.Default.CounterState), stored.ETag, [], [], null, null), CancellationToken.None);

        var result = await grain.Increment();

        Assert.Equal(11, result);
    }

    [Fact]
    public async Task Row7_a_grain_with_no_stored_state_keeps_no_activation_after_a_call()
    {
        using var runtime = new RuntimeHarness();
        for (var i = 0; i < 100; i++)
        {
            var note = runtime.Grains.GetGrain<INoteGrain>($"unknown-{i}");
            Assert.Null(await note.Read());
            Assert.Null(await note.ReadInTurn());
        }

        Assert.Equal(0, runtime.Catalog.Count);

        var written = runtime.Grains.GetGrain<INoteGrain>("written");
        await written.Write("kept");
        Assert.Equal("kept", await written.Read());
        Assert.Equal(1, runtime.Catalog.Count);
    }

    [Fact]
    public async Task Calls_queued_behind_the_turn_of_a_released_activation_run_on_a_new_one()
    {
        using var runtime = new RuntimeHarness();
        var note = runtime.Grains.GetGrain<INoteGrain>("raced");

        var calls = Enumerable.Range(0, 50).Select(i => i % 10 == 9 ? note.Write($"v{i}") : note.ReadInTurn()).ToArray();
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("v", await note.Read(), StringComparison.Ordinal);
        Assert.Equal(1, runtime.Catalog.Count);
    }

    [Fact]
    public async Task Idle_activations_are_collected_and_come_back_with_their_stored_state()
    {
        using var runtime = new RuntimeHarness(o => o.IdleTimeout = TimeSpan.FromMilliseconds(1));
        var grain = runtime.Grains.GetGrain<ICounterGrain>("idle");
        await grain.Increment();
        await Task.Delay(20);

        var collected = await runtime.Catalog.CollectAsync(CancellationToken.None);

        Assert.Equal(1, collected);
        Assert.Equal(0, runtime.Catalog.Count);
        Assert.Equal(2, await grain.Increment());
    }

    [Fact]
    public async Task Beyond_the_cap_the_least_recently_used_activations_are_evicted()
    {
        using var runtime = new RuntimeHarness(o => o.MaxActivations = 10);
        for (var i = 0; i < 20; i++)
        {
            await runtime.Grains.GetGrain<ICounterGrain>($"lru-{i:D2}").Increment();
        }

        await CollectUntilAtMostAsync(runtime, 10);

        await runtime.Grains.GetGrain<ICounterGrain>("lru-19").Increment();
        await runtime.Grains.GetGrain<ICounterGrain>("lru-00").Increment();
        Assert.Equal(1, (await StoredAsync(runtime, "lru-19")).Activations);
        Assert.Equal(2, (await StoredAsync(runtime, "lru-00")).Activations);
    }

    [Fact]
    public async Task State_kept_unsaved_is_current_but_not_stored_until_saved()
    {
        using var runtime = new RuntimeHarness();
        var grain = runtime.Grains.GetGrain<ICounterGrain>("unsaved");
        await grain.Increment();

        await grain.IncrementUnsaved();

        Assert.Equal(2, await grain.Peek());
        Assert.Equal(1, (await StoredAsync(runtime, "unsaved")).Value);
        Assert.True(await grain.SaveKept());
        Assert.Equal(2, (await StoredAsync(runtime, "unsaved")).Value);
    }

    [Fact]
    public async Task An_activation_holding_unsaved_state_is_not_collected_until_it_is_saved()
    {
        using var runtime = new RuntimeHarness(o => o.IdleTimeout = TimeSpan.FromMilliseconds(1));
        var grain = runtime.Grains.GetGrain<ICounterGrain>("unsaved-idle");
        await grain.Increment();
        await grain.IncrementUnsaved();
        await Task.Delay(20);

        Assert.Equal(0, await runtime.Catalog.CollectAsync(CancellationToken.None));

        Assert.True(await grain.SaveKept());
        await Task.Delay(20);
        Assert.Equal(1, await runtime.Catalog.CollectAsync(CancellationToken.None));
        Assert.Equal(2, await grain.Peek());
    }

    [Fact]
    public async Task Beyond_the_cap_activations_holding_unsaved_state_are_passed_over_for_the_others()
    {
        using var runtime = new RuntimeHarness(o => o.MaxActivations = 10);

        // The 12 least recently used hold unsaved state: once 17 are live, the 8 the cap would pick are all theirs.
        for (var i = 0; i < 12; i++)
        {
            await runtime.Grains.GetGrain<ICounterGrain>($"kept-{i:D2}").IncrementUnsaved();
        }

        for (var i = 0; i < 5; i++)
        {
            await runtime.Grains.GetGrain<ICounterGrain>($"saved-{i:D2}").Increment();
        }

        await CollectUntilAtMostAsync(runtime, 12);

        Assert.Equal(12, runtime.Catalog.Count);
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(1, await runtime.Grains.GetGrain<ICounterGrain>($"kept-{i:D2}").Peek());
        }
    }

    [Fact]
    public async Task A_reload_drops_unsaved_state_and_the_grain_learns_it_once()
    {
        using var runtime = new RuntimeHarness();
        var grain = runtime.Grains.GetGrain<ICounterGrain>("unsaved-conflict");
        await grain.Increment();
        await grain.IncrementUnsaved();
        var id = new GrainId("counter", "unsaved-conflict");
        var stored = await runtime.Store.ReadAsync(id, CancellationToken.None);
        var outside = JsonSerializer.Deserialize(stored!.Json, CounterJsonContext.Default.CounterState)! with { Value = 10 };
        await runtime.Store.WriteAsync(id, new GrainWrite(JsonSerializer.Serialize(outside, CounterJsonContext.Default.CounterState), stored.ETag, [], [], null, null), CancellationToken.None);

        // The write conflicts, the activation reloads (dropping the unsaved increment) and retries.
        Assert.Equal(11, await grain.Increment());

        Assert.False(await grain.SaveKept());
        Assert.True(await grain.SaveKept());
    }

    [Fact]
    public async Task An_activation_whose_reload_dropped_unsaved_state_is_not_collected_until_the_grain_learnt_it()
    {
        using var runtime = new RuntimeHarness(o => o.IdleTimeout = TimeSpan.FromMilliseconds(1));
        var grain = runtime.Grains.GetGrain<ICounterGrain>("unsaved-lost-idle");
        await grain.Increment();
        await grain.IncrementUnsaved();
        var id = new GrainId("counter", "unsaved-lost-idle");
        var stored = await runtime.Store.ReadAsync(id, CancellationToken.None);
        await runtime.Store.WriteAsync(id, new GrainWrite(stored!.Json, stored.ETag, [], [], null, null), CancellationToken.None);
        await grain.Increment();
        await Task.Delay(20);

        Assert.Equal(0, await runtime.Catalog.CollectAsync(CancellationToken.None));

        Assert.False(await grain.SaveKept());
        await Task.Delay(20);
        Assert.Equal(1, await runtime.Catalog.CollectAsync(CancellationToken.None));
    }

    /// <summary>Collects until at most <paramref name="live"/> activations remain (a collection the cap started in the background may hold the collector).</summary>
    private static async Task CollectUntilAtMostAsync(RuntimeHarness runtime, int live)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (runtime.Catalog.Count > live)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected at most {live} activations within {Timeout}, found {runtime.Catalog.Count}");
            await runtime.Catalog.CollectAsync(CancellationToken.None);
            await Task.Yield();
        }
    }

    private static async Task<CounterState> StoredAsync(RuntimeHarness runtime, string key)
    {
        var stored = await runtime.Store.ReadAsync(new GrainId("counter", key), CancellationToken.None);
        return JsonSerializer.Deserialize(stored!.Json, CounterJsonContext.Default.CounterState)!;
    }
}
