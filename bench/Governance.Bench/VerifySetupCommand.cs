using System.Diagnostics;

namespace Governance.Bench;

/// <summary>
/// Creates deployed models through the API for the verify benchmark and writes one
/// <c>model_id weights_hash</c> line per model for the wrk script.
/// </summary>
public static class VerifySetupCommand
{
    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var count = arguments.Int("models", 1000);
        var workers = arguments.Int("workers", 16);
        var idsFile = arguments.Required("ids");
        var prefix = arguments.Text("prefix", "verify");
        using var gateway = new GatewayClient(arguments.Url(), workers);
        var scenario = new GovernanceScenario(gateway);
        var cancellationToken = CancellationToken.None;

        var stopwatch = Stopwatch.StartNew();
        await scenario.RegisterApproverKeysAsync(cancellationToken);
        var models = new PreparedModel[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var model = await scenario.PrepareAsync($"{prefix}-{i:D6}", ct);
                await scenario.SignFirstAsync(model, ct);
                await scenario.SignSecondAsync(model, ct);
                await scenario.DeployAsync(model, ct);
                models[i] = model;
            });

        // Every model must verify as allowed, or wrk would measure denials.
        foreach (var model in models)
        {
            var decision = await scenario.VerifyAsync(model, cancellationToken);
            if (!decision.Allowed)
            {
                throw new BenchException($"{model.ModelId} does not verify: {decision.Reason}");
            }
        }

        await File.WriteAllLinesAsync(idsFile, models.Select(m => $"{m.ModelId} {m.WeightsHash}"), cancellationToken);
        Console.WriteLine($"setup-verify: {count} models deployed and verified in {stopwatch.Elapsed.TotalSeconds:F1} s");
        return 0;
    }
}
