using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;

namespace Governance.Bench;

/// <summary>
/// DESIGN §8 expiry lag: three silo processes on PostgreSQL; N models are trained, then each gets
/// an approval whose TTL puts its <c>expires_at</c> in one window of W seconds (spread evenly, whole
/// seconds), submitted through the three gateways in turn. Nothing calls the models afterwards: the
/// reminders and the catch-up expire them. Lag per approval = the ledger's <c>recorded_at</c> of its
/// <c>approval_expired</c> entry − its <c>expires_at</c>. With <c>--kill-after-seconds S</c>, silo 2 is
/// killed with SIGKILL S seconds into the window and not restarted: the approvals due after that are
/// expired by the two survivors (the reminders the dead silo held move, and the catch-up covers what
/// Orleans skipped), and their lags are reported apart.
/// </summary>
public static class ClusterExpiryCommand
{
    private const int Workers = 16;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var count = arguments.Int("approvals", 10_000);
        var window = TimeSpan.FromSeconds(arguments.Int("window-seconds", 60));
        var output = arguments.Required("out");
        var connectionString = arguments.Required("connection");
        var killAfter = arguments.Int("kill-after-seconds", 0);
        var cancellationToken = CancellationToken.None;
        await using var cluster = await BenchCluster.StartAsync(arguments, 3);
        using var gateways = new GatewayScenarios(cluster.Silos.Select(silo => silo.Url), Workers);
        var scenarios = gateways.Scenarios;
        var models = Enumerable.Range(0, count).Select(i => $"expiry-{i:D6}").ToArray();

        // Training first, timed, so the submissions' pace can be foreseen.
        var training = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = cancellationToken },
            async (i, ct) => await scenarios[i % scenarios.Length].TrainAsync(models[i], ct));
        training.Stop();

        // The window opens once every submission is surely done (they take about as long as the trainings).
        var windowOpens = DateTimeOffset.UtcNow + training.Elapsed * 1.5 + TimeSpan.FromSeconds(15);
        var expiresAt = new DateTimeOffset[count];
        var submitting = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var due = windowOpens + window * i / count;
                var ttl = (long)Math.Ceiling((due - DateTimeOffset.UtcNow).TotalSeconds);
                var approval = await scenarios[i % scenarios.Length].SubmitExpiringAsync(models[i], ttl, ct);
                expiresAt[i] = DateTimeOffset.Parse(approval.ExpiresAt, CultureInfo.InvariantCulture);
            });
        submitting.Stop();
        var firstDue = expiresAt.Min();
        var lastDue = expiresAt.Max();
        if (DateTimeOffset.UtcNow >= firstDue)
        {
            throw new BenchException($"the submissions took {submitting.Elapsed.TotalSeconds:F0} s and ran past the first expiry");
        }

        Console.WriteLine($"cluster-expiry: {count} approvals due {firstDue:HH:mm:ss}–{lastDue:HH:mm:ss} (trained in {training.Elapsed.TotalSeconds:F0} s, submitted in {submitting.Elapsed.TotalSeconds:F0} s)");

        DateTimeOffset? killedAt = null;
        if (killAfter > 0)
        {
            await Task.Delay(firstDue + TimeSpan.FromSeconds(killAfter) - DateTimeOffset.UtcNow, cancellationToken);
            killedAt = DateTimeOffset.UtcNow;
            cluster.Silos[2].Kill();
            Console.WriteLine($"cluster-expiry: silo 2 killed at {killedAt:HH:mm:ss.fff}");
        }

        // Wait out the window and then until every approval expired or the settle time ran out.
        await using var database = NpgsqlDataSource.Create(connectionString);
        var giveUp = lastDue + Settle;
        await Task.Delay(lastDue - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2), cancellationToken);
        Dictionary<string, DateTimeOffset> expired;
        while (true)
        {
            expired = await ReadExpiriesAsync(database, cancellationToken);
            if (expired.Count >= count || DateTimeOffset.UtcNow > giveUp)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        var all = new LatencyRecorder();
        var beforeKill = new LatencyRecorder();
        var afterKill = new LatencyRecorder();
        var early = 0;
        for (var i = 0; i < count; i++)
        {
            if (expired.TryGetValue(models[i], out var recordedAt))
            {
                var lag = (long)((recordedAt - expiresAt[i]).TotalSeconds * Stopwatch.Frequency);
                early += lag < 0 ? 1 : 0;
                all.Add(lag);
                (expiresAt[i] > killedAt ? afterKill : beforeKill).Add(lag);
            }
        }

        var missing = count - all.Count;
        var figures = new JsonObject
        {
            ["approvals"] = count,
            ["window_s"] = (lastDue - firstDue).TotalSeconds,
            ["expired"] = all.Count,
            ["missing"] = missing,
            ["early"] = early,
            ["lag_p50_ms"] = Milliseconds(all.PercentileMs(50)),
            ["lag_p99_ms"] = Milliseconds(all.PercentileMs(99)),
            // A missing expiry is an unbounded lag: no maximum to show.
            ["lag_max_ms"] = Milliseconds(missing > 0 ? double.NaN : all.PercentileMs(100)),
            ["train_s"] = Math.Round(training.Elapsed.TotalSeconds, 1),
            ["submit_s"] = Math.Round(submitting.Elapsed.TotalSeconds, 1),
        };
        if (killedAt is not null)
        {
            figures["kill_after_s"] = killAfter;
            figures["before_kill_approvals"] = beforeKill.Count;
            figures["before_kill_lag_max_ms"] = Milliseconds(beforeKill.PercentileMs(100));
            figures["after_kill_approvals"] = afterKill.Count;
            figures["after_kill_lag_p50_ms"] = Milliseconds(afterKill.PercentileMs(50));
            figures["after_kill_lag_max_ms"] = Milliseconds(afterKill.PercentileMs(100));
        }

        ResultFile.Write(output, figures);
        Console.WriteLine($"cluster-expiry: {all.Count} of {count} expired; lag p50 {all.PercentileMs(50):F0} / p99 {all.PercentileMs(99):F0} / max {all.PercentileMs(100):F0} ms; {missing} missing, {early} early"
            + (killedAt is null ? "" : $"; due after the kill: {afterKill.Count}, max {afterKill.PercentileMs(100):F0} ms"));
        return 0;
    }

    /// <summary>Each model's <c>approval_expired</c> ledger entry: when its transaction recorded it.</summary>
    private static async Task<Dictionary<string, DateTimeOffset>> ReadExpiriesAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT chain_id, recorded_at FROM ledger WHERE chain_id LIKE 'expiry-%' AND (entry::jsonb)->>'event' = 'approval_expired'");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var expired = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            expired[reader.GetString(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return expired;
    }

    private static double? Milliseconds(double value) => double.IsFinite(value) ? Math.Round(value, 1) : null;
}
