using Governance.Grains.Policy;
using Governance.Grains.Wire;

namespace Governance.Grains.Drift;

/// <summary>
/// Drift of serving against training (DESIGN §5.5): metric drift with the seed's formulas (so the
/// numbers match it), plus two-sample Kolmogorov–Smirnov and PSI over raw values when given.
/// Every number of a result is finite, so it can always be stored and returned as JSON: a change
/// that overflows (a tiny baseline, a huge serving value) is clamped to ±<see cref="double.MaxValue"/>,
/// and severities stay in [0, 1].
/// </summary>
public static class DriftCalculator
{
    public const string Loss = "loss";
    public const string Accuracy = "accuracy";
    public const int PsiBins = 10;
    public const double PsiSmoothing = 1e-4;

    public static DriftResult Compute(
        IReadOnlyDictionary<string, double> training,
        IReadOnlyDictionary<string, double> serving,
        DistributionSample? distribution,
        DriftThresholds thresholds)
    {
        var metrics = new Dictionary<string, MetricDrift>(StringComparer.Ordinal);
        if (training.TryGetValue(Loss, out var trainingLoss) && serving.TryGetValue(Loss, out var servingLoss) && trainingLoss > 0)
        {
            var increase = Finite((servingLoss - trainingLoss) / trainingLoss);
            var drifted = increase > thresholds.MaxLossIncrease;
            var severity = drifted ? Severity(increase / thresholds.MaxLossIncrease) : 0;
            metrics[Loss] = new MetricDrift(trainingLoss, servingLoss, increase, thresholds.MaxLossIncrease, drifted, severity);
        }

        if (training.TryGetValue(Accuracy, out var trainingAccuracy) && serving.TryGetValue(Accuracy, out var servingAccuracy) && trainingAccuracy > 0)
        {
            var ratio = Finite(servingAccuracy / trainingAccuracy);
            var drifted = ratio < thresholds.MinAccuracyRatio;
            var severity = drifted ? Severity((thresholds.MinAccuracyRatio - ratio) / thresholds.MinAccuracyRatio) : 0;
            metrics[Accuracy] = new MetricDrift(trainingAccuracy, servingAccuracy, ratio, thresholds.MinAccuracyRatio, drifted, severity);
        }

        var overall = metrics.Values.Sum(m => m.Severity) / Math.Max(1, metrics.Count);
        var confidence = metrics.Count > 0 ? 1.0 : 0.0;
        var anyDrifted = metrics.Values.Any(m => m.Drifted) && confidence >= thresholds.ConfidenceThreshold;

        StatisticDrift? ks = null;
        StatisticDrift? psi = null;
        if (distribution is { Training: { } trainingSample, Serving: { } servingSample }
            && trainingSample.Count >= thresholds.MinSamples && servingSample.Count >= thresholds.MinSamples)
        {
            var ksStatistic = KolmogorovSmirnov(trainingSample, servingSample);
            ks = new StatisticDrift(ksStatistic, thresholds.KsThreshold, ksStatistic > thresholds.KsThreshold, trainingSample.Count, servingSample.Count);
            var psiValue = PopulationStabilityIndex(trainingSample, servingSample);
            psi = new StatisticDrift(psiValue, thresholds.PsiThreshold, psiValue > thresholds.PsiThreshold, trainingSample.Count, servingSample.Count);
        }

        return new DriftResult(anyDrifted, overall, confidence, ActionFor(overall), AlertSeverityFor(overall), metrics, ks, psi);
    }

    public static string ActionFor(double severity) =>
        severity < 0.3 ? "monitor" : severity < 0.8 ? "investigate" : "consider_revoke";

    public static string AlertSeverityFor(double severity) =>
        severity < 0.3 ? "low" : severity < 0.6 ? "medium" : severity < 0.8 ? "high" : "critical";

    /// <summary>The largest distance between the two empirical distribution functions.</summary>
    public static double KolmogorovSmirnov(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        var a = first.Order().ToArray();
        var b = second.Order().ToArray();
        int i = 0, j = 0;
        var statistic = 0.0;
        while (i < a.Length && j < b.Length)
        {
            var x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] <= x)
            {
                i++;
            }

            while (j < b.Length && b[j] <= x)
            {
                j++;
            }

            statistic = Math.Max(statistic, Math.Abs(((double)i / a.Length) - ((double)j / b.Length)));
        }

        return statistic;
    }

    /// <summary>
    /// PSI over <see cref="PsiBins"/> equal-frequency bins cut at the training sample's quantiles;
    /// empty bins count as <see cref="PsiSmoothing"/>.
    /// </summary>
    public static double PopulationStabilityIndex(IReadOnlyList<double> training, IReadOnlyList<double> serving)
    {
        var sorted = training.Order().ToArray();
        var edges = Enumerable.Range(1, PsiBins - 1)
            .Select(k => sorted[(int)Math.Floor((double)k * sorted.Length / PsiBins)])
            .ToArray();
        var expected = Proportions(training, edges);
        var actual = Proportions(serving, edges);
        var psi = 0.0;
        for (var bin = 0; bin < PsiBins; bin++)
        {
            psi += (actual[bin] - expected[bin]) * Math.Log(actual[bin] / expected[bin]);
        }

        return psi;
    }

    private static double[] Proportions(IReadOnlyList<double> values, double[] edges)
    {
        var counts = new double[PsiBins];
        foreach (var value in values)
        {
            // Bin k holds the values with exactly k edges at or below them.
            int low = 0, high = edges.Length;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (edges[middle] <= value)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            counts[low]++;
        }

        return [.. counts.Select(c => c == 0 ? PsiSmoothing : c / values.Count)];
    }

    /// <summary>An overflowed quotient (±∞) as the largest finite number of its sign; NaN (never expected) as 0.</summary>
    private static double Finite(double value) =>
        double.IsNaN(value) ? 0 : Math.Clamp(value, -double.MaxValue, double.MaxValue);

    /// <summary>A drifted metric's severity, capped at 1; NaN (never expected) fails closed as 1.</summary>
    private static double Severity(double value) =>
        double.IsNaN(value) ? 1 : Math.Clamp(value, 0, 1);
}
