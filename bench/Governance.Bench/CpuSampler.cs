using System.Globalization;

namespace Governance.Bench;

/// <summary>
/// CPU time used so far by the silo, by PostgreSQL (the postmaster, its live backends, and the
/// backends that already exited) and by this driver, read from /proc. Sampled at both ends of a
/// timed window, it tells where the window's CPU went.
/// </summary>
public sealed record CpuSampler(CpuTime Silo, CpuTime Postgres, CpuTime Driver)
{
    // USER_HZ: the unit of /proc/<pid>/stat times, 100 on Linux.
    private const double TicksPerSecond = 100;

    public static CpuSampler Take(int? siloPid, int? postmasterPid) => new(
        siloPid is { } silo ? Times(silo, children: false) : default,
        postmasterPid is { } postmaster ? PostgresTimes(postmaster) : default,
        Times(Environment.ProcessId, children: false));

    public static CpuSampler operator -(CpuSampler end, CpuSampler start) =>
        new(end.Silo - start.Silo, end.Postgres - start.Postgres, end.Driver - start.Driver);

    private static CpuTime PostgresTimes(int postmaster)
    {
        var total = Times(postmaster, children: true);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(pid) is { } fields && fields[1] == postmaster.ToString(CultureInfo.InvariantCulture))
            {
                total += Times(pid, children: false);
            }
        }

        return total;
    }

    /// <summary>utime and stime, and with <paramref name="children"/> the reaped children's cutime and cstime.</summary>
    private static CpuTime Times(int pid, bool children)
    {
        if (Stat(pid) is not { } fields)
        {
            return default;
        }

        var user = Field(fields, 14) + (children ? Field(fields, 16) : 0);
        var system = Field(fields, 15) + (children ? Field(fields, 17) : 0);
        return new CpuTime(TimeSpan.FromSeconds(user / TicksPerSecond), TimeSpan.FromSeconds(system / TicksPerSecond));
    }

    /// <summary>The fields of /proc/PID/stat after the command name, so that index 0 is field 3 (state).</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long Field(string[] fields, int number) =>
        long.Parse(fields[number - 3], NumberStyles.None, CultureInfo.InvariantCulture);
}
