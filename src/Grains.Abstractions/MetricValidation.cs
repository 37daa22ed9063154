namespace Governance.Grains;

/// <summary>The shape of metric objects and value samples on the wire: named finite numbers, bounded in size.</summary>
public static class MetricValidation
{
    public const int MaxMetrics = 256;
    public const int MaxSampleSize = 100_000;

    /// <summary>Returns the metrics, or throws invalid_request naming <paramref name="field"/> (or the bad entry).</summary>
    public static Dictionary<string, double> Require(Dictionary<string, double>? metrics, string field, bool allowEmpty = true)
    {
        if (metrics is null || (!allowEmpty && metrics.Count == 0))
        {
            throw GovernanceException.Invalid(field, $"{field} is required: an object of names to finite numbers.");
        }

        if (metrics.Count > MaxMetrics)
        {
            throw GovernanceException.Invalid(field, $"{field} may hold at most {MaxMetrics} entries.");
        }

        foreach (var (name, value) in metrics)
        {
            if (name.Length is 0 or > Identifiers.MaxIdLength || !double.IsFinite(value))
            {
                throw GovernanceException.Invalid($"{field}.{name}", $"Metric '{name}' must have a name of 1–{Identifiers.MaxIdLength} characters and a finite number.");
            }
        }

        return metrics;
    }

    /// <summary>Returns the sample, or throws invalid_request naming <paramref name="field"/>.</summary>
    public static List<double> RequireSample(List<double>? sample, string field)
    {
        if (sample is null || sample.Count is 0 or > MaxSampleSize || !sample.All(double.IsFinite))
        {
            throw GovernanceException.Invalid(field, $"{field} must list 1–{MaxSampleSize} finite numbers.");
        }

        return sample;
    }
}
