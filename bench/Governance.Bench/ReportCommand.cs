using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Governance.Bench;

/// <summary>
/// The results table: every figure next to its same-run baseline, the ratio, and the target of the
/// issue. Reads the JSON files the other subcommands, the wrk script and run.sh wrote into --dir.
/// </summary>
public static class ReportCommand
{
    public static int Run(BenchArguments arguments)
    {
        var directory = arguments.Required("dir");
        var output = arguments.Required("out");
        var batchSize = arguments.Int("batch-size", 100);
        var previousPath = arguments.Text("previous", "");
        var previous = previousPath.Length > 0 && File.Exists(previousPath) ? ResultTable.ReadPrevious(previousPath) : null;
        var table = new ResultTable();

        var live = ResultFile.Read(directory, "live");
        var verify = ResultFile.Read(directory, "verify");
        var batch = ResultFile.Read(directory, "batch");
        var liveRps = Number(live, "rps");
        table.Add("a", "GET /health/live (baseline)", Rps(live), "", null, "", live);
        table.Add("a", "GET /v1/models/{id}/verify", Rps(verify), Rps(live), Ratio(Number(verify, "rps"), liveRps), "≥ 0.60 × live", verify,
            Met(Ratio(Number(verify, "rps"), liveRps), r => r >= 0.60));
        var p99Ratio = Ratio(Number(verify, "latency_p99_us"), Number(live, "latency_p99_us"));
        table.Add("a", "verify latency p50 / p99", Latency(verify), Latency(live), p99Ratio, "p99 ≤ 1.5 × live p99", null,
            Met(p99Ratio, r => r <= 1.5));
        var liveAfter = ResultFile.Read(directory, "live-after");
        table.Add("a", "drift check: /health/live again after verify and batch", Rps(liveAfter), Rps(live),
            Ratio(Number(liveAfter, "rps"), liveRps), "—", liveAfter);
        var lowConnections = arguments.Text("low-connections", "4");
        var liveLow = ResultFile.Read(directory, "live-low");
        var verifyLow = ResultFile.Read(directory, "verify-low");
        table.Add("a", $"diagnostic at {lowConnections} connections: verify RPS, p50 / p99",
            $"{Rps(verifyLow)}, {Latency(verifyLow)}", $"live: {Rps(liveLow)}, {Latency(liveLow)}",
            Ratio(Number(verifyLow, "rps"), Number(liveLow, "rps")), "—", verifyLow);
        var decisionsPerSecond = Number(batch, "rps") * batchSize;
        table.Add("a", $"POST /v1/verify, {batchSize} items: decisions/s", Format(decisionsPerSecond, "N0") + " decisions/s",
            Rps(live), Ratio(decisionsPerSecond, liveRps), "—", batch);
        table.Add("a", $"POST /v1/verify latency p50 / p99 (per request)", Latency(batch), Latency(live), null, "—", null);
        var liveCpu = SiloCpuPerRequestUs(directory, "live", live);
        var verifyCpu = SiloCpuPerRequestUs(directory, "verify", verify);
        var verifySystemShare = Delta(directory, "verify", "silo_system_cpu_ms") / Delta(directory, "verify", "silo_cpu_ms");
        table.Add("a", "silo CPU per request: verify (kernel share) / batch of 100",
            $"{Format(verifyCpu, "F0")} µs ({Percent(verifySystemShare)}) / {Format(SiloCpuPerRequestUs(directory, "batch", batch), "F0")} µs",
            $"live: {Format(liveCpu, "F0")} µs", Ratio(verifyCpu, liveCpu), "—", null);

        var cohosted = ResultFile.Read(directory, "f-verify-cohosted");
        var standalone = ResultFile.Read(directory, "f-verify-standalone");
        var standaloneRatio = Ratio(Number(standalone, "rps"), Number(cohosted, "rps"));
        table.Add("f", "GET verify through the standalone gateway (src/Gateway.Host on the Orleans client)", Rps(standalone),
            "co-hosted: " + Rps(cohosted), standaloneRatio, "≥ 0.35 × co-hosted", standalone, Met(standaloneRatio, r => r >= 0.35));
        table.Add("f", "… latency p50 / p99, standalone / co-hosted", Latency(standalone), Latency(cohosted),
            Ratio(Number(standalone, "latency_p99_us"), Number(cohosted, "latency_p99_us")), "—", null);

        AddClusterRows(table, directory);

        var pgbench = ResultFile.Read(directory, "pgbench");
        var transitions = ResultFile.Read(directory, "transitions");
        var tps = Number(pgbench, "tps");
        table.Add("b", "pgbench -N -c 8 -j 2 (baseline)", Format(tps, "N0") + " TPS", "", null, "", null);
        table.Add("b", $"signature, signature (quorum), deploy on PostgreSQL, {Text(transitions, "workers")} workers",
            Format(Number(transitions, "transitions_per_s"), "N0") + " transitions/s", Format(tps, "N0") + " TPS",
            Ratio(Number(transitions, "transitions_per_s"), tps), "≥ 0.50 × pgbench TPS", null,
            Met(Ratio(Number(transitions, "transitions_per_s"), tps), r => r >= 0.50));
        foreach (var (kind, key) in new[] { ("signature 1 (pending)", "signature"), ("signature 2 (quorum_reached)", "quorum"), ("deploy", "deploy") })
        {
            table.Add("b", $"{kind} latency p50 / p99",
                $"{Format(Number(transitions, key + "_p50_ms"), "F2")} / {Format(Number(transitions, key + "_p99_ms"), "F2")} ms", "", null, "—", null);
        }

        var after = ResultFile.Read(directory, "pgbench-after");
        table.Add("b", "drift check: pgbench again after the transitions", Format(Number(after, "tps"), "N0") + " TPS",
            Format(tps, "N0") + " TPS", Ratio(Number(after, "tps"), tps), "—", null);
        var pgbenchCpu = Delta(directory, "pgbench", "postgres_cpu_ms") / Number(pgbench, "transactions");
        var pgbenchSystemShare = Delta(directory, "pgbench", "postgres_system_cpu_ms") / Delta(directory, "pgbench", "postgres_cpu_ms");
        table.Add("b", "CPU per transition: silo / postgres / driver (kernel share)",
            $"{Format(Number(transitions, "silo_cpu_ms_per_transition"), "F2")} ({Percent(Number(transitions, "silo_system_share"))}) / "
                + $"{Format(Number(transitions, "postgres_cpu_ms_per_transition"), "F2")} ({Percent(Number(transitions, "postgres_system_share"))}) / "
                + $"{Format(Number(transitions, "driver_cpu_ms_per_transition"), "F2")} ms; {Format(Number(transitions, "cpu_cores_busy"), "F2")} cores busy",
            $"postgres per pgbench txn: {Format(pgbenchCpu, "F2")} ms ({Percent(pgbenchSystemShare)})", null, "—", null);

        var inProcess = ResultFile.Read(directory, "transitions-inproc");
        table.Add("b", "diagnostic: the same transitions in process, memory storage, no HTTP",
            $"{Format(Number(inProcess, "cpu_us_per_transition"), "N0")} µs CPU, {Format(Number(inProcess, "allocated_bytes_per_transition"), "N0")} B allocated per transition",
            "", null, "—", null);

        var memory = ResultFile.Read(directory, "memory");
        table.Add("c", $"managed bytes per warm activation ({Text(memory, "models")} models)",
            Format(Number(memory, "bytes_per_activation"), "N0") + " B", "", null, "≤ 4,096 B", null,
            Met(Number(memory, "bytes_per_activation"), b => b <= 4096));
        table.Add("c", "allocated per warm in-process GetGrain + Verify (no HTTP)",
            $"{Format(Number(memory, "warm_verify_allocated_bytes"), "N0")} B, {Format(Number(memory, "warm_verify_ns"), "N0")} ns", "", null, "—", null);
        table.Add("c", "… of which GetGrain alone / Verify on a held reference",
            $"{Format(Number(memory, "get_grain_allocated_bytes"), "N0")} B, {Format(Number(memory, "get_grain_ns"), "N0")} ns / {Format(Number(memory, "verify_call_allocated_bytes"), "N0")} B, {Format(Number(memory, "verify_call_ns"), "N0")} ns",
            "", null, "—", null);

        foreach (var provider in new[] { "memory", "postgres" })
        {
            var startup = ResultFile.Read(directory, "startup-" + provider);
            table.Add("d", $"silo start → /health/ready 200, {provider} (median of {Text(startup, "runs")})",
                Format(Number(startup, "median_ms"), "N0") + " ms", $"min {Format(Number(startup, "min_ms"), "N0")}, max {Format(Number(startup, "max_ms"), "N0")} ms",
                null, "≤ 3,000 ms", null, Met(Number(startup, "median_ms"), ms => ms <= 3000));
        }

        var drift = ResultFile.Read(directory, "drift");
        table.Add("e", $"severe drift observation → verify approval_revoked on PostgreSQL, p50 / p99 / max ({Text(drift, "models")} models, one at a time)",
            $"{Format(Number(drift, "denial_p50_ms"), "F2")} / {Format(Number(drift, "denial_p99_ms"), "F2")} / {Format(Number(drift, "denial_max_ms"), "F2")} ms",
            "", null, "p99 ≤ 50 ms", null, Met(Number(drift, "denial_p99_ms"), ms => ms <= 50));
        table.Add("e", "… of which POST /drift → 202 (append committed), p50 / p99; verify polls per denial",
            $"{Format(Number(drift, "append_p50_ms"), "F2")} / {Format(Number(drift, "append_p99_ms"), "F2")} ms; {Format(Number(drift, "verify_polls_per_denial"), "F1")} polls",
            "", null, "—", null);
        var ingest = ResultFile.Read(directory, "ingest");
        var drain = ResultFile.Read(directory, "drift-drain");
        var ingestSeconds = Number(ingest, "duration_us") / 1e6;
        var refused = Number(ingest, "errors_status") + Number(ingest, "errors_connect") + Number(ingest, "errors_read")
            + Number(ingest, "errors_write") + Number(ingest, "errors_timeout");
        var accepted = Number(ingest, "requests") - Number(ingest, "errors_status");
        var appended = accepted / ingestSeconds;
        var applied = accepted / (ingestSeconds + Number(drain, "drain_after_window_ms") / 1000);
        // DESIGN §8: applied ÷ pgbench -N TPS, against the pgbench run right after this phase.
        var machine = ResultFile.Read(directory, "pgbench-drift");
        var machineTps = Number(machine, "tps");
        var appliedRatio = refused > 0 ? null : Ratio(applied, machineTps);
        table.Add("e", $"drift stream ingest on PostgreSQL, wrk -c{arguments.Text("ingest-connections", "?")} over {Text(drift, "ingest_models")} models, after {arguments.Text("ingest-warmup", "?")} s warm-up: observations/s appended (202s) / applied by the drift monitors",
            Format(appended, "N0") + " / " + Format(applied, "N0") + " obs/s" + (refused > 0 ? $" ({Format(refused, "N0")} refused or failed)" : ""),
            "pgbench after: " + Format(machineTps, "N0") + " TPS", appliedRatio, "applied ≥ 1.0 × pgbench TPS", null, Met(appliedRatio, r => r >= 1.0));
        table.Add("e", "ingest latency p50 / p99; monitors' backlog at the window's end (time to apply it); CPU per observation: silo / postgres",
            $"{Latency(ingest)}; {Format(Number(drain, "drain_after_window_ms"), "N0")} ms; "
                + $"{Format(Delta(directory, "ingest", "silo_cpu_ms") * 1000 / accepted, "F0")} / {Format(Delta(directory, "ingest", "postgres_cpu_ms") * 1000 / accepted, "F0")} µs; "
                + $"{Format((Delta(directory, "ingest", "silo_cpu_ms") + Delta(directory, "ingest", "postgres_cpu_ms")) / 1000 / ingestSeconds, "F2")} cores busy (silo + postgres)",
            "", null, "—", null);

        var machineTotal = Delta(directory, "ingest", "machine_busy_ms") + Delta(directory, "ingest", "machine_idle_ms") + Delta(directory, "ingest", "machine_steal_ms");
        table.Add("e", "… the machine's 2 cores during the ingest window: busy / idle / stolen by the hypervisor",
            $"{Share(Delta(directory, "ingest", "machine_busy_ms"), machineTotal)} / {Share(Delta(directory, "ingest", "machine_idle_ms"), machineTotal)} / {Share(Delta(directory, "ingest", "machine_steal_ms"), machineTotal)}",
            "", null, "—", null);

        table.Add("e", "machine check: pgbench -N -c 8 -j 2 right after this phase; applied obs/s ÷ its TPS",
            Format(Number(machine, "tps"), "N0") + " TPS", "", Ratio(applied, Number(machine, "tps")), "—", null);

        var markdown = new StringBuilder()
            .AppendLine("# Benchmark results")
            .AppendLine()
            .AppendLine("Written by `./bench/run.sh`; what each figure means is in `bench/README.md`.")
            .AppendLine()
            .Append(table.ToMarkdown(previous, arguments.Text("previous-label", "previous")));
        var environment = Path.Combine(directory, "environment.txt");
        if (File.Exists(environment))
        {
            markdown.AppendLine().AppendLine("## Run").AppendLine();
            foreach (var line in File.ReadAllLines(environment))
            {
                markdown.AppendLine("- " + line);
            }
        }

        File.WriteAllText(output, markdown.ToString());
        Console.Write(markdown);
        return 0;
    }

    /// <summary>(g) failover and expiry lag on three silo processes; (h) three silos against one.</summary>
    private static void AddClusterRows(ResultTable table, string directory)
    {
        var failover = ResultFile.Read(directory, "g-failover");
        var failoverMax = Number(failover, "max_ms");
        var failoverClean = Number(failover, "unexpected_answers") == 0;
        table.Add("g", $"SIGKILL of one of 3 silos → first successful write on each model it held: p50 / p99 / max ({Text(failover, "kills")} kills, {Text(failover, "models_held")} models held)",
            $"{Format(Number(failover, "p50_ms"), "N0")} / {Format(Number(failover, "p99_ms"), "N0")} / {Format(failoverMax, "N0")} ms", "", null, "max ≤ 10,000 ms", null,
            Met(failoverMax, ms => ms <= 10_000 && failoverClean));
        table.Add("g", "… writes refused meanwhile (503 or no answer) / any other answer",
            $"{Format(Number(failover, "refused_writes"), "N0")} / {Format(Number(failover, "unexpected_answers"), "N0")}", "", null, "—", null);

        var expiry = ResultFile.Read(directory, "g-expiry");
        var expiryMax = Number(expiry, "lag_max_ms");
        table.Add("g", $"expiry lag (ledger approval_expired − expires_at), {Text(expiry, "approvals")} approvals due within {Text(expiry, "window_s")} s on 3 silos, no request: p50 / p99 / max",
            $"{Format(Number(expiry, "lag_p50_ms"), "N0")} / {Format(Number(expiry, "lag_p99_ms"), "N0")} / {Format(expiryMax, "N0")} ms; "
                + $"{Format(Number(expiry, "missing"), "N0")} missing, {Format(Number(expiry, "early"), "N0")} early",
            "", null, "max ≤ 2,000 ms", null, Met(expiryMax, ms => ms <= 2000 && Number(expiry, "early") == 0));
        var killed = ResultFile.Read(directory, "g-expiry-kill");
        var killedMax = Number(killed, "after_kill_lag_max_ms");
        table.Add("g", $"… {Text(killed, "approvals")} approvals due within {Text(killed, "window_s")} s, one silo SIGKILLed {Text(killed, "kill_after_s")} s in: the {Text(killed, "after_kill_approvals")} due after the kill p50 / max; before it, max",
            $"{Format(Number(killed, "after_kill_lag_p50_ms"), "N0")} / {Format(killedMax, "N0")} ms; {Format(Number(killed, "before_kill_lag_max_ms"), "N0")} ms; "
                + $"{Format(Number(killed, "missing"), "N0")} missing",
            "", null, "max ≤ 2,000 ms", null, Met(Number(killed, "missing") == 0 ? killedMax : double.NaN, ms => ms <= 2000));

        var one = ResultFile.Read(directory, "h-verify-1-0");
        var three = Enumerable.Range(0, 3).Select(i => ResultFile.Read(directory, $"h-verify-3-{i}")).ToArray();
        var threeRps = three.Sum(wrk => Number(wrk, "rps"));
        var threeErrors = three.Sum(wrk => Number(wrk, "errors_status"));
        table.Add("h", "GET verify spread over 3 silos (wrk on each gateway at once, 63 connections in all) against 1 silo (64), PostgreSQL",
            Format(threeRps, "N0") + " req/s" + (threeErrors > 0 ? $" ({Format(threeErrors, "N0")} failed)" : ""), "1 silo: " + Rps(one),
            Ratio(threeRps, Number(one, "rps")), "— (report)", null);
        table.Add("h", "… latency p50 / p99, the slowest of the 3 silos / 1 silo",
            $"{Format(three.Max(wrk => Number(wrk, "latency_p50_us")) / 1000, "F2")} / {Format(three.Max(wrk => Number(wrk, "latency_p99_us")) / 1000, "F2")} ms",
            Latency(one), null, "—", null);
        var writesOne = ResultFile.Read(directory, "h-transitions-1");
        var writesThree = ResultFile.Read(directory, "h-transitions-3");
        table.Add("h", $"signature, signature, deploy through the 3 gateways against 1, {Text(writesThree, "workers")} workers",
            Format(Number(writesThree, "transitions_per_s"), "N0") + " transitions/s", "1 silo: " + Format(Number(writesOne, "transitions_per_s"), "N0") + " transitions/s",
            Ratio(Number(writesThree, "transitions_per_s"), Number(writesOne, "transitions_per_s")), "— (report)", null);
    }

    private static double Number(JsonObject? figures, string name) =>
        figures?[name] is JsonValue value && value.TryGetValue<double>(out var number) ? number : double.NaN;

    /// <summary>The silo's CPU over a wrk run divided by the requests it served, in microseconds.</summary>
    private static double SiloCpuPerRequestUs(string directory, string name, JsonObject? wrk) =>
        Delta(directory, name, "silo_cpu_ms") * 1000 / Number(wrk, "requests");

    /// <summary>A CPU counter's growth between the NAME-cpu-before and NAME-cpu-after samples.</summary>
    private static double Delta(string directory, string name, string counter) =>
        Number(ResultFile.Read(directory, name + "-cpu-after"), counter) - Number(ResultFile.Read(directory, name + "-cpu-before"), counter);

    private static string Text(JsonObject? figures, string name) => figures?[name]?.ToJsonString() ?? "?";

    private static double? Ratio(double value, double baseline) =>
        double.IsFinite(value) && double.IsFinite(baseline) && baseline > 0 ? value / baseline : null;

    private static bool? Met(double? value, Func<double, bool> target) =>
        value is { } v && double.IsFinite(v) ? target(v) : null;

    private static string Format(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "not measured";

    private static string Share(double part, double whole) =>
        double.IsFinite(part) && double.IsFinite(whole) && whole > 0 ? (part / whole).ToString("P0", CultureInfo.InvariantCulture) : "not measured";

    private static string Percent(double share) => double.IsFinite(share) ? share.ToString("P0", CultureInfo.InvariantCulture) + " kernel" : "?";

    private static string Rps(JsonObject? wrk) => Format(Number(wrk, "rps"), "N0") + " req/s";

    private static string Latency(JsonObject? wrk) =>
        $"{Format(Number(wrk, "latency_p50_us") / 1000, "F2")} / {Format(Number(wrk, "latency_p99_us") / 1000, "F2")} ms";
}
