using System.Diagnostics;

namespace Governance.Bench;

/// <summary>Latencies of one kind of call, in Stopwatch ticks; one recorder per worker, merged at the end.</summary>
public sealed class LatencyRecorder
{
    private readonly List<long> _ticks = [];

    public int Count => _ticks.Count;

    public void Add(long ticks) => _ticks.Add(ticks);

    public static LatencyRecorder Merge(IEnumerable<LatencyRecorder> parts)
    {
        var merged = new LatencyRecorder();
        foreach (var part in parts)
        {
            merged._ticks.AddRange(part._ticks);
        }

        return merged;
    }

    /// <summary>The nearest-rank percentile in milliseconds (0 &lt; <paramref name="percent"/> ≤ 100).</summary>
    public double PercentileMs(double percent)
    {
        if (_ticks.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _ticks.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1] * 1000.0 / Stopwatch.Frequency;
    }
}
