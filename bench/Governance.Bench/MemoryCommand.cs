using System.Diagnostics;
using System.Text.Json.Nodes;
using Governance.Grains;
using Governance.Grains.Wire;
using Governance.Storage.Memory;

namespace Governance.Bench;

/// <summary>
/// Managed memory per warm activation, in process, on a real Orleans silo (<see cref="BenchSilo"/>:
/// memory storage, activations collected only after two hours idle). N models are created with a
/// realistic state; then that silo is stopped and a new one started over the same
/// <see cref="MemoryEvidenceStore"/>, which is what a restart does — no activation survives, the
/// stored state does. After one warm-up call, a full GC gives the baseline; every model is then
/// activated again with a read (Verify), and a full GC gives the figure: (after − before) / N. It
/// counts everything an activation holds in the process: the grain and its state, Orleans'
/// activation data, catalog and directory entries.
/// </summary>
public static class MemoryCommand
{
    private const string WarmupModel = "memory-warmup";

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var count = arguments.Int("models", 100_000);
        var output = arguments.Required("out");
        // Profiling aid: after each settled reading, wait this long (for dotnet-gcdump collect -p PID).
        var hold = TimeSpan.FromSeconds(arguments.Int("hold-seconds", 0));
        var store = new MemoryEvidenceStore();
        if (arguments.Text("grain", "model") == "empty")
        {
            return await RunEmptyAsync(store, count, output, hold);
        }

        var creation = Stopwatch.StartNew();
        await using (var first = await BenchSilo.StartAsync(store))
        {
            var grains = first.Grains;
            await CreateAsync(grains, WarmupModel);
            await ForEachModelAsync(count, id => CreateAsync(grains, id));
        }

        Console.WriteLine($"memory: {count} models created in {creation.Elapsed.TotalSeconds:F1} s");

        await using var second = await BenchSilo.StartAsync(store);
        var factory = second.Grains;
        await VerifyAsync(factory, WarmupModel);
        var before = SettledHeapBytes();
        await HoldAsync(hold, "before");

        var activation = Stopwatch.StartNew();
        await ForEachModelAsync(count, id => VerifyAsync(factory, id));
        var activationSeconds = activation.Elapsed.TotalSeconds;
        var after = SettledHeapBytes();
        await HoldAsync(hold, "after");

        // Allocation and time of a warm read without HTTP — GetGrain + Verify, then each half alone —
        // one thread, sequential, over queries built beforehand.
        var queries = Enumerable.Range(0, Math.Min(count, 10_000))
            .Select(i => new VerifyQuery(ModelId(i), GovernanceScenario.Environment, GovernanceScenario.Scope, GovernanceScenario.WeightsHashOf(ModelId(i))))
            .ToArray();
        BenchSilo.As(BenchCallers.Registry);
        var references = queries.Select(q => factory.GetGrain<IModelGovernanceGrain>(q.ModelId!)).ToArray();
        var combined = await MeasureReadsAsync(queries.Length, i => new ValueTask(factory.GetGrain<IModelGovernanceGrain>(queries[i].ModelId!).Verify(queries[i])));
        var referenceOnly = await MeasureReadsAsync(queries.Length, i =>
        {
            GC.KeepAlive(factory.GetGrain<IModelGovernanceGrain>(queries[i].ModelId!));
            return ValueTask.CompletedTask;
        });
        var callOnly = await MeasureReadsAsync(queries.Length, i => new ValueTask(references[i].Verify(queries[i])));

        ResultFile.Write(output, new JsonObject
        {
            ["models"] = count,
            ["heap_before_bytes"] = before,
            ["heap_after_bytes"] = after,
            ["bytes_per_activation"] = Math.Round((after - before) / (double)count, 1),
            ["activation_seconds"] = Math.Round(activationSeconds, 2),
            ["warm_verify_allocated_bytes"] = combined.Bytes,
            ["warm_verify_ns"] = combined.Nanoseconds,
            ["get_grain_allocated_bytes"] = referenceOnly.Bytes,
            ["get_grain_ns"] = referenceOnly.Nanoseconds,
            ["verify_call_allocated_bytes"] = callOnly.Bytes,
            ["verify_call_ns"] = callOnly.Nanoseconds,
        });
        GC.KeepAlive(second);
        return 0;
    }

    /// <summary>
    /// Orleans' own floor: the same silo and readings over a grain with no state and no dependencies
    /// (<see cref="EmptyGrain"/>), activated by one call each.
    /// </summary>
    private static async Task<int> RunEmptyAsync(MemoryEvidenceStore store, int count, string output, TimeSpan hold)
    {
        await using var silo = await BenchSilo.StartAsync(store);
        var factory = silo.Grains;
        BenchSilo.As(BenchCallers.Registry);
        await factory.GetGrain<IEmptyGrain>(WarmupModel).Ping();
        var before = SettledHeapBytes();
        await HoldAsync(hold, "before");

        var activation = Stopwatch.StartNew();
        await ForEachModelAsync(count, id =>
        {
            BenchSilo.As(BenchCallers.Registry);
            return factory.GetGrain<IEmptyGrain>(id).Ping();
        });
        var activationSeconds = activation.Elapsed.TotalSeconds;
        var after = SettledHeapBytes();
        await HoldAsync(hold, "after");
        ResultFile.Write(output, new JsonObject
        {
            ["grain"] = "empty",
            ["models"] = count,
            ["heap_before_bytes"] = before,
            ["heap_after_bytes"] = after,
            ["bytes_per_activation"] = Math.Round((after - before) / (double)count, 1),
            ["activation_seconds"] = Math.Round(activationSeconds, 2),
        });
        GC.KeepAlive(silo);
        return 0;
    }

    /// <summary>Bytes allocated and time per call, one thread, sequential, after a first pass to warm up.</summary>
    private static async Task<(double Bytes, double Nanoseconds)> MeasureReadsAsync(int count, Func<int, ValueTask> read)
    {
        for (var i = 0; i < count; i++)
        {
            await read(i);
        }

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await read(i);
        }

        var nanoseconds = stopwatch.Elapsed.TotalNanoseconds / count;
        var bytes = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)count;
        return (Math.Round(bytes, 1), Math.Round(nanoseconds, 0));
    }

    /// <summary>A fresh string per call, so each activation holds its own key as it would from a request.</summary>
    private static string ModelId(int i) => $"memory-{i:D6}";

    private static Task ForEachModelAsync(int count, Func<string, Task> action) =>
        Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 2 },
            async (i, _) => await action(ModelId(i)));

    /// <summary>Training with 3 metrics and a small card, then an approval for 2 environments awaiting 2 signatures.</summary>
    private static async Task CreateAsync(IGrainFactory grains, string modelId)
    {
        var grain = grains.GetGrain<IModelGovernanceGrain>(modelId);
        BenchSilo.As(BenchCallers.Trainer);
        await grain.RecordTraining(GovernanceScenario.Training(modelId));
        BenchSilo.As(BenchCallers.Submitter);
        await grain.SubmitApproval(
            new ApprovalRequest(null, ["staging", GovernanceScenario.Environment], [GovernanceScenario.Scope], RequiredApprovers: 2, null, null, null));
    }

    private static async Task VerifyAsync(IGrainFactory grains, string modelId)
    {
        BenchSilo.As(BenchCallers.Registry);
        var decision = await grains.GetGrain<IModelGovernanceGrain>(modelId).Verify(
            new VerifyQuery(modelId, GovernanceScenario.Environment, GovernanceScenario.Scope, GovernanceScenario.WeightsHashOf(modelId)));
        if (decision.Status != "pending")
        {
            throw new BenchException($"{modelId}: status {decision.Status}, expected pending");
        }
    }

    private static async Task HoldAsync(TimeSpan hold, string reading)
    {
        if (hold > TimeSpan.Zero)
        {
            Console.WriteLine($"memory: heap settled ({reading}), pid {Environment.ProcessId}; holding {hold.TotalSeconds:F0} s");
            await Task.Delay(hold);
        }
    }

    private static long SettledHeapBytes()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
