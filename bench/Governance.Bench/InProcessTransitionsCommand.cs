using System.Diagnostics;
using System.Text.Json.Nodes;
using Governance.Crypto;
using Governance.Grains;
using Governance.Grains.Wire;
using Governance.Runtime;
using Governance.Runtime.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Bench;

/// <summary>
/// A diagnostic for the write path: the same three transitions as <c>transitions</c> (signature,
/// signature → quorum, deploy), called on the grains in process with memory storage, one at a time.
/// What it costs is the domain and the runtime alone: no HTTP, no PostgreSQL.
/// </summary>
public static class InProcessTransitionsCommand
{
    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var count = arguments.Int("models", 2000);
        var output = arguments.Required("out");
        await using var services = InProcessRuntime.Build(new MemoryStore());
        var grains = services.GetRequiredService<IGrainFactory>();
        var first = await RegisterAsync(grains, "alice");
        var second = await RegisterAsync(grains, "bob");

        var warmup = await PrepareAsync(grains, "inproc-warmup", count / 10, first, second);
        var timed = await PrepareAsync(grains, "inproc", count, first, second);
        await RunAsync(grains, warmup);

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
        await grains.GetGrain<IApproverKeysGrain>(principal).RegisterKey(
            new Caller("admin"), keyId, new KeyRegistrationRequest(Convert.ToBase64String(key.PublicKey)));
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
            await grain.RecordTraining(new Caller("trainer-1"), GovernanceScenario.Training(modelId));
            var approval = await grain.SubmitApproval(
                new Caller("carol"),
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
            await grain.AddSignature(new Caller("alice"), model.First);
            var quorum = await grain.AddSignature(new Caller("bob"), model.Second);
            if (quorum.Status != "quorum_reached")
            {
                throw new BenchException($"{model.ModelId}: status {quorum.Status} after two signatures");
            }

            await grain.Deploy(
                new Caller("deployer-1"),
                new DeploymentRequest(model.ApprovalId, GovernanceScenario.Environment, GovernanceScenario.Scope, model.WeightsHash));
        }
    }
}
