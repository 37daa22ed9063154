using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Governance.Grains.Drift;
using Governance.Grains.Policy;
using Governance.Grains.Wire;

namespace Governance.Grains.Tests.Drift;

/// <summary>
/// For any finite inputs the drift calculator's result is finite, serialisable and has a severity in
/// [0, 1] (issue 9, rows 1–2: a loss increase that overflowed to +∞ could not be written as JSON).
/// </summary>
[Trait("Category", "Unit")]
public class DriftCalculatorProperties
{
    [Property(Arbitrary = [typeof(FiniteInputs)], MaxTest = 2000)]
    public bool Every_result_of_finite_inputs_is_finite_serialisable_and_bounded(
        Metrics training, Metrics serving, Sample trainingSample, Sample servingSample, Thresholds thresholds)
    {
        var distribution = new DistributionSample(trainingSample.Values, servingSample.Values);
        var result = DriftCalculator.Compute(training.Values, serving.Values, distribution, thresholds.Value);

        // Serialising throws on a non-finite number: this is what the stored state and the API do.
        var json = JsonSerializer.Serialize(result, GovernanceJsonContext.Default.DriftResult);
        return json.Length > 0
            && result.Severity is >= 0 and <= 1
            && result.Confidence is >= 0 and <= 1
            && result.Metrics.Values.All(m => m.Severity is >= 0 and <= 1 && double.IsFinite(m.Change) && double.IsFinite(m.Training) && double.IsFinite(m.Serving))
            && (result.Ks is null || (double.IsFinite(result.Ks.Value) && result.Ks.Value is >= 0 and <= 1))
            && (result.Psi is null || (double.IsFinite(result.Psi.Value) && result.Psi.Value >= 0));
    }

    [Property(Arbitrary = [typeof(FiniteInputs)], MaxTest = 500)]
    public bool A_drifted_result_has_a_positive_severity(Metrics training, Metrics serving, Thresholds thresholds)
    {
        var result = DriftCalculator.Compute(training.Values, serving.Values, null, thresholds.Value);
        return !result.Drifted || result.Severity > 0;
    }

    /// <summary>Metrics named loss and accuracy (sometimes absent), and sometimes another name.</summary>
    public sealed record Metrics(Dictionary<string, double> Values)
    {
        public override string ToString() => JsonSerializer.Serialize(Values);
    }

    public sealed record Sample(List<double> Values)
    {
        public override string ToString() => $"[{string.Join(", ", Values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]";
    }

    public sealed record Thresholds(DriftThresholds Value);

    /// <summary>Finite doubles, weighted towards the edges that overflow a quotient: ±MaxValue, subnormals, zero.</summary>
    public static class FiniteInputs
    {
        private static readonly Gen<double> Edge = Gen.Elements(
            double.MaxValue, -double.MaxValue, 1e308, -1e308, double.Epsilon, -double.Epsilon, 5e-324, 1e-310, 0.0, -0.0, 1.0, 0.95, 0.2);

        private static readonly Gen<double> Finite = Gen.OneOf(
            Edge,
            ArbMap.Default.GeneratorFor<NormalFloat>().Select(f => f.Get),
            Gen.Choose(0, 1_000_000).Select(i => i / 1_000_000.0));

        public static Arbitrary<Metrics> Metrics() =>
            (from loss in Optional(Finite)
             from accuracy in Optional(Finite)
             from other in Optional(Finite)
             select new Metrics(Named((DriftCalculator.Loss, loss), (DriftCalculator.Accuracy, accuracy), ("latency_ms", other))))
                .ToArbitrary();

        public static Arbitrary<Sample> Sample() =>
            Gen.Choose(0, 40).SelectMany(n => Finite.ListOf(n)).Select(values => new Sample([.. values])).ToArbitrary();

        /// <summary>Thresholds the policy schema accepts: positive, ratios and KS in (0, 1], min_samples ≥ 2.</summary>
        public static Arbitrary<Thresholds> Thresholds() =>
            Gen.OneOf(
                    Gen.Constant(DriftThresholds.Default),
                    from increase in Positive
                    from ratio in UnitInterval
                    from confidence in UnitInterval
                    select new DriftThresholds(increase, ratio, confidence, confidence, increase, 2))
                .Select(t => new Thresholds(t))
                .ToArbitrary();

        private static Gen<double> Positive => Gen.Elements(double.Epsilon, 1e-300, 0.2, 1.0, 1e300, double.MaxValue);

        private static Gen<double> UnitInterval => Gen.Choose(1, 1_000_000).Select(i => i / 1_000_000.0);

        private static Gen<double?> Optional(Gen<double> values) =>
            Gen.OneOf(Gen.Constant<double?>(null), values.Select(v => (double?)v));

        private static Dictionary<string, double> Named(params (string Name, double? Value)[] metrics) =>
            metrics.Where(m => m.Value is not null).ToDictionary(m => m.Name, m => m.Value!.Value, StringComparer.Ordinal);
    }
}
