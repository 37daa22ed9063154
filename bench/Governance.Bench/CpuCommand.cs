using System.Text.Json.Nodes;

namespace Governance.Bench;

/// <summary>
/// Writes the CPU used so far by the silo, by PostgreSQL and by the whole machine; run.sh samples before and after a
/// wrk or pgbench run, and <c>report</c> divides the difference by the requests served.
/// </summary>
public static class CpuCommand
{
    public static int Run(BenchArguments arguments)
    {
        var sample = CpuSampler.Take(arguments.OptionalInt("silo-pid"), arguments.OptionalInt("postmaster-pid"));
        var machine = MachineCpu.Take();
        ResultFile.Write(arguments.Required("out"), new JsonObject
        {
            ["silo_cpu_ms"] = sample.Silo.Total.TotalMilliseconds,
            ["silo_system_cpu_ms"] = sample.Silo.System.TotalMilliseconds,
            ["postgres_cpu_ms"] = sample.Postgres.Total.TotalMilliseconds,
            ["postgres_system_cpu_ms"] = sample.Postgres.System.TotalMilliseconds,
            ["machine_busy_ms"] = machine.Busy.TotalMilliseconds,
            ["machine_idle_ms"] = machine.Idle.TotalMilliseconds,
            ["machine_steal_ms"] = machine.Steal.TotalMilliseconds,
        });
        return 0;
    }
}
