using System.Diagnostics;

namespace Governance.Bench;

/// <summary>
/// Creates deployed models through the API for the verify benchmark and writes one
/// <c>model_id weights_hash</c> line per model for the wrk script. With several <c>--url</c>s (the
/// gateways of one cluster), model i is set up through gateway i mod n.
/// </summary>
public static class VerifySetupCommand
{
    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var count = arguments.Int("models", 1000);
        var workers = arguments.Int("workers", 16);
        var idsFile = arguments.Required("ids");
        var prefix = arguments.Text("prefix", "verify");
        using var gateways = new GatewayScenarios(arguments.Urls(), workers);
        await SetUpAsync(gateways.Scenarios, count, workers, idsFile, prefix);
        return 0;
    }

    private static async Task SetUpAsync(GovernanceScenario[] scenarios, int count, int workers, string idsFile, string prefix)
    {
        var cancellationToken = CancellationToken.None;
        var stopwatch = Stopwatch.StartNew();
        foreach (var scenario in scenarios)
        {
            await scenario.RegisterApproverKeysAsync(cancellationToken);
        }

        var models = new PreparedModel[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var scenario = scenarios[i % scenarios.Length];
                var model = await scenario.PrepareAsync($"{prefix}-{i:D6}", ct);
                await scenario.SignFirstAsync(model, ct);
                await scenario.SignSecondAsync(model, ct);
                await scenario.DeployAsync(model, ct);
                models[i] = model;
            });

        // Every model must verify as allowed, or wrk would measure denials.
        foreach (var (model, i) in models.Select((model, i) => (model, i)))
        {
            var decision = await scenarios[i % scenarios.Length].VerifyAsync(model, cancellationToken);
            if (!decision.Allowed)
            {
                throw new BenchException($"{model.ModelId} does not verify: {decision.Reason}");
            }
        }

        await File.WriteAllLinesAsync(idsFile, models.Select(m => $"{m.ModelId} {m.WeightsHash}"), cancellationToken);
        Console.WriteLine($"setup-verify: {count} models deployed and verified in {stopwatch.Elapsed.TotalSeconds:F1} s");
    }
}
