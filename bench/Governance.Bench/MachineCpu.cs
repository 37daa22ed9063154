using System.Globalization;

namespace Governance.Bench;

/// <summary>
/// The whole machine's CPU time so far, from the first line of /proc/stat: busy (user, nice, system,
/// irq, softirq), idle (idle, iowait) and stolen by the hypervisor. Over a window it tells whether
/// the measured processes had both cores, or the machine was idle or lent elsewhere.
/// </summary>
public readonly record struct MachineCpu(TimeSpan Busy, TimeSpan Idle, TimeSpan Steal)
{
    // USER_HZ: the unit of /proc/stat times, 100 on Linux.
    private const double TicksPerSecond = 100;

    public static MachineCpu Take()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        TimeSpan Ticks(params int[] columns) =>
            TimeSpan.FromSeconds(columns.Sum(c => long.Parse(fields[c], NumberStyles.None, CultureInfo.InvariantCulture)) / TicksPerSecond);

        // cpu user nice system idle iowait irq softirq steal ...
        return new MachineCpu(Ticks(1, 2, 3, 6, 7), Ticks(4, 5), Ticks(8));
    }
}
