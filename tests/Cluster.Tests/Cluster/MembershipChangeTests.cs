using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Governance.Cluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Governance.Cluster.Tests.Cluster;

/// <summary>
/// A three-silo cluster while silos leave and join: one killed, one stopped with SIGTERM, one added;
/// callers keep going through the gateways of the others.
/// </summary>
[Trait("Category", "Integration"), Collection(SiloClusterCollection.Name)]
public sealed partial class MembershipChangeTests(ITestOutputHelper output)
{
    private const int Models = 30;

    [Fact]
    public async Task Kill_one_stop_one_and_add_one_while_calling_through_the_others()
    {
        await using var cluster = await SiloCluster.StartAsync("cluster_tests_membership", 3);
        var entry = cluster.Silos[0];
        var models = new List<(string ModelId, string WeightsHash)>();
        for (var i = 0; i < Models; i++)
        {
            var modelId = Workflow.NewModelId();
            models.Add((modelId, await new Workflow(entry).TrainAsync(modelId)));
        }

        // SIGKILL: the grains the dead silo held answer again on the survivors once it is declared dead.
        var killed = Stopwatch.StartNew();
        await cluster.Silos[2].KillAsync();
        var recovered = new List<TimeSpan>();
        foreach (var (modelId, _) in models)
        {
            await Requests.WaitForAsync(
                () => Requests.TryAsync(() => entry.As(DevTokens.Trainer).PostAsync($"/v1/models/{modelId}/training", Requests.Training())),
                response => response?.Status == HttpStatusCode.Created, TimeSpan.FromSeconds(30), $"a write to {modelId} after the SIGKILL");
            recovered.Add(killed.Elapsed);
        }

        output.WriteLine($"after SIGKILL every model took a write again within {recovered.Max().TotalSeconds:F1} s");

        // A fourth silo joins and serves any model through its own gateway.
        var added = await cluster.AddSiloAsync();
        foreach (var (modelId, _) in models)
        {
            (await added.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
        }

        // SIGTERM: the stopping silo hands its grains over; no request through the others fails meanwhile.
        var failures = new ConcurrentBag<string>();
        var answered = 0;
        using var stop = new CancellationTokenSource();
        var callers = new[] { entry, added }.Select(gateway => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var (modelId, weightsHash) = models[n % models.Count];
                var response = await Requests.TryAsync(() => gateway.As(DevTokens.Registry).GetAsync(
                    $"/v1/models/{modelId}/verify?environment=production&weights_hash={weightsHash}"));
                if (response?.Status == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref answered);
                }
                else
                {
                    failures.Add(response?.ToString() ?? $"GET verify of {modelId}: no answer");
                }
            }
        })).ToArray();
        await Requests.WaitForAsync(() => Task.FromResult(Volatile.Read(ref answered)), n => n >= 200, TimeSpan.FromSeconds(30), "200 verifies before the SIGTERM");
        await cluster.Silos[1].StopAsync(TimeSpan.FromSeconds(30));
        var afterStop = Volatile.Read(ref answered);
        await Requests.WaitForAsync(() => Task.FromResult(Volatile.Read(ref answered)), n => n >= afterStop + 200, TimeSpan.FromSeconds(30), "200 verifies after the SIGTERM");
        await stop.CancelAsync();
        await Task.WhenAll(callers);
        output.WriteLine($"{answered} verifies answered while a silo stopped gracefully; {failures.Count} failed");
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.Empty(failures);

        // The new silo takes grains of its own. Orleans' placement weighs the silos' load, and a silo that
        // just started is busy, so new models are made until one of them lands there.
        await Requests.WaitForAsync(
            async () =>
            {
                var modelId = Workflow.NewModelId();
                (await entry.As(DevTokens.Trainer).PostAsync($"/v1/models/{modelId}/training", Requests.Training())).AssertStatus(HttpStatusCode.Created);
                var metrics = (await added.As(null).GetAsync("/metrics")).AssertStatus(HttpStatusCode.OK).Body;
                var activations = LiveActivations().Match(metrics);
                return activations.Success ? double.Parse(activations.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            },
            activations => activations > 0, TimeSpan.FromSeconds(60), "an activation on the added silo");
    }

    [GeneratedRegex(@"^orleans_catalog_activations(?:\{[^}]*\})? ([0-9.eE+-]+)$", RegexOptions.Multiline)]
    private static partial Regex LiveActivations();
}
