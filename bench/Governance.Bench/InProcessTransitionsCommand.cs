using System.Diagnostics;
using System.Text.Json.Nodes;
using Governance.Crypto;
using Governance.Grains;
using Governance.Grains.Wire;
using Governance.Storage.Memory;

namespace Governance.Bench;

/// <summary>
/// A diagnostic for the write path: the same three transitions as <c>transitions</c> (signature,
/// signature → quorum, deploy), called one at a time on the grains of an Orleans silo in this process
/// (<see cref="BenchSilo"/>: memory storage, the silo's own grain factory, the caller's token in the
/// request context, as the co-hosted gateway calls). What it costs is the domain and Orleans alone:
/// no HTTP, no PostgreSQL. The CPU and allocations are the whole process's, silo included.
/// </summary>
public static class InProcessTransitionsCommand
{
    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var count = arguments.Int("models", 2000);
        var output = arguments.Required("out");
        await using var silo = await BenchSilo.StartAsync(new MemoryEvidenceStore());
        var grains = silo.Grains;
        var first = await RegisterAsync(grains, BenchCallers.Alice);
        var second = await RegisterAsync(grains, BenchCallers.Bob);

        var warmup = await PrepareAsync(grains, "inproc-warmup", count / 10, first, second);
        var timed = await PrepareAsync(grains, "inproc", count, first, second);
        await RunAsync(grains, warmup);

        // A profiler attached from here on sees the timed transitions only.
        Console.WriteLine($"transitions-inproc: timing {count} models (pid {Environment.ProcessId})");
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        await RunAsync(grains, timed);
        var wall = stopwatch.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        var transitions = 3.0 * count;
        ResultFile.Write(output, new JsonObject
        {
            ["transitions"] = transitions,
            ["wall_us_per_transition"] = Math.Round(wall.TotalMicroseconds / transitions, 1),
            ["cpu_us_per_transition"] = Math.Round(cpu.TotalMicroseconds / transitions, 1),
            ["allocated_bytes_per_transition"] = Math.Round(allocated / transitions, 0),
        });
        return 0;
    }

    private static async Task<(string KeyId, Ed25519KeyPair Key)> RegisterAsync(IGrainFactory grains, string principal)
    {
        var key = Ed25519.GenerateKeyPair();
        var keyId = principal + "-1";
        BenchSilo.As(BenchCallers.Admin);
        await grains.GetGrain<IApproverKeysGrain>(principal).RegisterKey(keyId, new KeyRegistrationRequest(Convert.ToBase64String(key.PublicKey)));
        return (keyId, key);
    }

    private static async Task<PreparedModel[]> PrepareAsync(
        IGrainFactory grains, string prefix, int count, (string KeyId, Ed25519KeyPair Key) first, (string KeyId, Ed25519KeyPair Key) second)
    {
        var models = new PreparedModel[count];
        for (var i = 0; i < count; i++)
        {
            var modelId = $"{prefix}-{i:D6}";
            var grain = grains.GetGrain<IModelGovernanceGrain>(modelId);
            BenchSilo.As(BenchCallers.Trainer);
            await grain.RecordTraining(GovernanceScenario.Training(modelId));
            BenchSilo.As(BenchCallers.Submitter);
            var approval = await grain.SubmitApproval(
                new ApprovalRequest(null, [GovernanceScenario.Environment], [GovernanceScenario.Scope], RequiredApprovers: 2, null, null, null));
            var signingInput = Convert.FromBase64String((await grain.GetApprovalDocument()).SigningInput);
            models[i] = new PreparedModel(
                modelId,
                approval.WeightsHash,
                approval.ApprovalId,
                new SignatureRequest(approval.ApprovalId, first.KeyId, Convert.ToBase64String(Ed25519.Sign(first.Key.Seed, signingInput))),
                new SignatureRequest(approval.ApprovalId, second.KeyId, Convert.ToBase64String(Ed25519.Sign(second.Key.Seed, signingInput))));
        }

        return models;
    }

    private static async Task RunAsync(IGrainFactory grains, IEnumerable<PreparedModel> models)
    {
        foreach (var model in models)
        {
            var grain = grains.GetGrain<IModelGovernanceGrain>(model.ModelId);
            BenchSilo.As(BenchCallers.Alice);
            await grain.AddSignature(model.First);
            BenchSilo.As(BenchCallers.Bob);
            var quorum = await grain.AddSignature(model.Second);
            if (quorum.Status != "quorum_reached")
            {
                throw new BenchException($"{model.ModelId}: status {quorum.Status} after two signatures");
            }

            BenchSilo.As(BenchCallers.Deployer);
            await grain.Deploy(
                new DeploymentRequest(model.ApprovalId, GovernanceScenario.Environment, GovernanceScenario.Scope, model.WeightsHash));
        }
    }
}
