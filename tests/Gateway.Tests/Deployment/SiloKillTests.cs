using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Governance.Gateway.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Governance.Gateway.Tests.Deployment;

/// <summary>
/// A silo process on PostgreSQL killed with SIGKILL and started again on the same database: what was
/// acknowledged is there exactly once, nothing half-written, and what came due meanwhile expires.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SiloKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killed_mid_stream_and_mid_command_every_acknowledged_write_is_there_once_and_nothing_half_written()
    {
        const string schema = "gateway_tests_silokill_stream";
        await TestDatabase.ResetSchemaAsync(schema);
        await using var database = NpgsqlDataSource.Create(TestDatabase.ConnectionStringFor(schema));
        await using var silo = new SiloProcess(TestDatabase.ConnectionStringFor(schema));
        await silo.StartAsync();
        var modelId = Workflow.NewModelId();
        (await silo.As(DevTokens.Trainer).PostAsync($"/v1/models/{modelId}/training", Training())).AssertStatus(HttpStatusCode.Created);

        var acknowledgedDrift = new ConcurrentBag<string>();
        var acknowledgedModels = new ConcurrentBag<string>();
        var attemptedModels = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var drift = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await TryAsync(() => silo.As(DevTokens.Monitor).PostAsync($"/v1/models/{modelId}/drift", new { serving_metrics = new { accuracy = 0.9, loss = 0.2 } }));
                if (response?.Status == HttpStatusCode.Accepted)
                {
                    acknowledgedDrift.Add(response.Json.Text("event_id")!);
                }
            }
        });
        var commands = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var other = Workflow.NewModelId();
                attemptedModels.Add(other);
                var response = await TryAsync(() => silo.As(DevTokens.Trainer).PostAsync($"/v1/models/{other}/training", Training()));
                if (response?.Status == HttpStatusCode.Created)
                {
                    acknowledgedModels.Add(other);
                }
            }
        });

        await WaitAsync(() => acknowledgedDrift.Count >= 150 && acknowledgedModels.Count >= 30, "writes to be acknowledged before the kill");
        await silo.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(drift, commands);
        output.WriteLine($"acknowledged before SIGKILL: {acknowledgedDrift.Count} drift observations, {acknowledgedModels.Count} trainings");

        var restart = await silo.StartAsync();
        output.WriteLine($"restarted and ready in {restart.TotalSeconds:F1} s");

        // Every acknowledged observation was committed to the stream (some more were, whose 202 the kill cut
        // off), and every committed one is applied exactly once: the stored count reaches it and stays there.
        var committed = await DriftStreamRows.CommittedEventIdsAsync(database, modelId);
        Assert.Subset(committed, acknowledgedDrift.ToHashSet());
        var applied = await WaitForAsync(() => DriftStreamRows.AppliedObservationsAsync(database, modelId), n => n >= committed.Count, $"all {committed.Count} committed observations to be applied");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(committed.Count, await DriftStreamRows.AppliedObservationsAsync(database, modelId));
        output.WriteLine($"committed {committed.Count}, applied after restart {applied}");

        foreach (var other in attemptedModels)
        {
            var model = await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{other}");
            if (acknowledgedModels.Contains(other))
            {
                model.AssertStatus(HttpStatusCode.OK);
            }

            if (model.Status == HttpStatusCode.OK)
            {
                // Committed whole: one training_completed, a chain that verifies.
                var events = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{other}/evidence")).AssertStatus(HttpStatusCode.OK)
                    .Json.Field("entries").EnumerateArray().Select(e => e.Text("event")).ToList();
                Assert.Equal(["training_completed"], events);
                Assert.True((await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{other}/evidence/verify")).AssertStatus(HttpStatusCode.OK)["valid"].GetBoolean());
            }
            else
            {
                // Or nothing at all: no state row and no ledger row.
                model.AssertProblem(HttpStatusCode.NotFound, "not_found");
                await using var rows = database.CreateCommand("SELECT count(*) FROM ledger WHERE chain_id = $1");
                rows.Parameters.AddWithValue(other);
                Assert.Equal(0L, (long)(await rows.ExecuteScalarAsync())!);
            }
        }
    }

    [Fact]
    public async Task An_approval_that_came_due_while_the_silo_was_down_expires_right_after_the_restart()
    {
        const string schema = "gateway_tests_silokill_expiry";
        await TestDatabase.ResetSchemaAsync(schema);
        await using var silo = new SiloProcess(TestDatabase.ConnectionStringFor(schema));
        await silo.StartAsync();
        var modelId = Workflow.NewModelId();
        (await silo.As(DevTokens.Trainer).PostAsync($"/v1/models/{modelId}/training", Training())).AssertStatus(HttpStatusCode.Created);
        var approval = (await silo.As(DevTokens.Alice).PostAsync($"/v1/models/{modelId}/approval", new
        {
            approved_environments = new[] { "production" },
            required_approvers = 1,
            approval_ttl_seconds = 3,
        })).AssertStatus(HttpStatusCode.Created);
        var expiresAt = DateTimeOffset.Parse(approval.Json.Text("expires_at")!, System.Globalization.CultureInfo.InvariantCulture);

        await silo.KillAsync();
        var downFor = expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
        if (downFor > TimeSpan.Zero)
        {
            await Task.Delay(downFor);
        }

        await silo.StartAsync();
        var ready = Stopwatch.StartNew();
        await WaitForAsync(
            async () => (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}/evidence")).Json.Field("entries").EnumerateArray().Select(e => e.Text("event")).ToList(),
            events => events.Contains("approval_expired"),
            $"approval_expired of {modelId} (expires_at {expiresAt:O}) after the restart");
        output.WriteLine($"approval_expired {ready.Elapsed.TotalMilliseconds:F0} ms after the restarted silo was ready");
        var model = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("expired", model.Json.Text("status"));
    }

    private static object Training() => new
    {
        weights_hash = Workflow.NewWeightsHash(),
        metrics = new { accuracy = 0.9, loss = 0.2 },
        card = new { name = "m" },
    };

    private static async Task<ApiResponse?> TryAsync(Func<Task<ApiResponse>> send)
    {
        try
        {
            return await send();
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static Task WaitAsync(Func<bool> condition, string awaited) =>
        WaitForAsync(() => Task.FromResult(condition()), done => done, awaited);

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string awaited)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"timed out waiting for {awaited}; last {value}");
            await Task.Delay(100);
        }
    }
}
