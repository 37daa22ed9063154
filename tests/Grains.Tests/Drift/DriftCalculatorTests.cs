using Governance.Grains.Drift;
using Governance.Grains.Policy;
using Governance.Grains.Wire;

namespace Governance.Grains.Tests.Drift;

/// <summary>Drift numbers against hand-computed cases (DESIGN §5.5, §5.7).</summary>
[Trait("Category", "Unit")]
public class DriftCalculatorTests
{
    private const int Decimals = 12;

    [Fact]
    public void The_readme_example_gives_severity_0_552_and_investigate()
    {
        // loss:     inc   = (0.45 - 0.28) / 0.28 = 0.607142857…  > 0.20 → drifted, severity min(1, 0.607/0.20 = 3.04) = 1
        // accuracy: ratio = 0.80 / 0.94 = 0.851063829…          < 0.95 → drifted, severity (0.95 - 0.851064) / 0.95 = 0.104143337…
        // overall = (1 + 0.104143337) / 2 = 0.552071668…; 0.3 <= 0.552 < 0.8 → investigate; 0.3 <= 0.552 < 0.6 → medium
        var result = DriftCalculator.Compute(
            Metrics(("loss", 0.28), ("accuracy", 0.94)), Metrics(("loss", 0.45), ("accuracy", 0.80)), null, DriftThresholds.Default);

        Assert.Equal(0.552, result.Severity, 3);
        Assert.Equal(0.5520716685330347, result.Severity, Decimals);
        Assert.Equal("investigate", result.Action);
        Assert.Equal("medium", result.AlertSeverity);
        Assert.True(result.Drifted);
        Assert.Equal(1.0, result.Confidence);

        var loss = result.Metrics["loss"];
        Assert.Equal((0.28, 0.45, 0.20), (loss.Training, loss.Serving, loss.Threshold));
        Assert.Equal(0.607142857142857, loss.Change, Decimals);
        Assert.True(loss.Drifted);
        Assert.Equal(1.0, loss.Severity);

        var accuracy = result.Metrics["accuracy"];
        Assert.Equal((0.94, 0.80, 0.95), (accuracy.Training, accuracy.Serving, accuracy.Threshold));
        Assert.Equal(0.8510638297872342, accuracy.Change, Decimals);
        Assert.True(accuracy.Drifted);
        Assert.Equal(0.10414333706606926, accuracy.Severity, Decimals);

        Assert.Null(result.Ks);
        Assert.Null(result.Psi);
        Assert.False(result.DistributionDrifted);
    }

    [Fact]
    public void A_severe_case_asks_to_consider_revoking_with_a_critical_alert()
    {
        // loss:     inc   = (0.40 - 0.20) / 0.20 = 1.0 > 0.20 → severity 1
        // accuracy: ratio = 0.18 / 0.90 = 0.2 < 0.95 → severity (0.95 - 0.2) / 0.95 = 0.789473684…
        // overall = (1 + 0.789473684) / 2 = 0.894736842… >= 0.8
        var result = DriftCalculator.Compute(
            Metrics(("loss", 0.20), ("accuracy", 0.90)), Metrics(("loss", 0.40), ("accuracy", 0.18)), null, DriftThresholds.Default);

        Assert.Equal(0.8947368421052632, result.Severity, Decimals);
        Assert.True(result.Severity >= 0.8);
        Assert.Equal("consider_revoke", result.Action);
        Assert.Equal("critical", result.AlertSeverity);
        Assert.True(result.Drifted);
        Assert.Equal(0.7894736842105263, result.Metrics["accuracy"].Severity, Decimals);
        Assert.Equal(1.0, result.Metrics["loss"].Change, Decimals);
    }

    [Fact]
    public void Serving_equal_to_training_is_no_drift()
    {
        var result = DriftCalculator.Compute(
            Metrics(("loss", 0.28), ("accuracy", 0.94)), Metrics(("loss", 0.28), ("accuracy", 0.94)), null, DriftThresholds.Default);

        Assert.False(result.Drifted);
        Assert.Equal(0.0, result.Severity);
        Assert.Equal(1.0, result.Confidence);
        Assert.Equal("monitor", result.Action);
        Assert.Equal("low", result.AlertSeverity);
        Assert.All(result.Metrics.Values, m => Assert.False(m.Drifted));
        Assert.All(result.Metrics.Values, m => Assert.Equal(0.0, m.Severity));
        Assert.Equal(0.0, result.Metrics["loss"].Change);
        Assert.Equal(1.0, result.Metrics["accuracy"].Change);
    }

    [Fact]
    public void Better_serving_metrics_are_no_drift()
    {
        var result = DriftCalculator.Compute(
            Metrics(("loss", 0.28), ("accuracy", 0.90)), Metrics(("loss", 0.10), ("accuracy", 0.99)), null, DriftThresholds.Default);

        Assert.False(result.Drifted);
        Assert.Equal(0.0, result.Severity);
    }

    [Fact]
    public void Severity_divides_by_the_metrics_compared_only()
    {
        // Only loss is in both: inc = (0.5 - 0.25) / 0.25 = 1 → severity 1, divided by 1 metric (not 2).
        var result = DriftCalculator.Compute(
            Metrics(("loss", 0.25), ("accuracy", 0.9)), Metrics(("loss", 0.5)), null, DriftThresholds.Default);

        Assert.Equal(["loss"], result.Metrics.Keys);
        Assert.Equal(1.0, result.Severity);
        Assert.Equal(1.0, result.Confidence);
        Assert.True(result.Drifted);
        Assert.Equal("consider_revoke", result.Action);
    }

    [Fact]
    public void A_zero_baseline_is_skipped()
    {
        // loss has baseline 0 (no increase can be computed): only accuracy is compared, ratio 0.9 / 0.9 = 1.
        var result = DriftCalculator.Compute(
            Metrics(("loss", 0.0), ("accuracy", 0.9)), Metrics(("loss", 0.5), ("accuracy", 0.9)), null, DriftThresholds.Default);

        Assert.Equal(["accuracy"], result.Metrics.Keys);
        Assert.Equal(1.0, result.Confidence);
        Assert.False(result.Drifted);
        Assert.Equal(0.0, result.Severity);
    }

    [Fact]
    public void A_zero_accuracy_baseline_is_skipped_too()
    {
        var result = DriftCalculator.Compute(
            Metrics(("accuracy", 0.0)), Metrics(("accuracy", 0.5)), null, DriftThresholds.Default);

        Assert.Empty(result.Metrics);
        Assert.Equal(0.0, result.Confidence);
    }

    [Fact]
    public void Nothing_compared_means_confidence_0_and_no_drift()
    {
        // Training has loss only, serving accuracy only; other metric names are not compared.
        var result = DriftCalculator.Compute(
            Metrics(("loss", 0.3), ("f1", 0.8)), Metrics(("accuracy", 0.1), ("f1", 0.1)), null, DriftThresholds.Default);

        Assert.Empty(result.Metrics);
        Assert.Equal(0.0, result.Confidence);
        Assert.Equal(0.0, result.Severity);
        Assert.False(result.Drifted);
        Assert.Equal("monitor", result.Action);
        Assert.Equal("low", result.AlertSeverity);
    }

    [Fact]
    public void An_increase_exactly_at_the_threshold_is_not_drift()
    {
        // Binary-exact numbers: inc = (0.375 - 0.25) / 0.25 = 0.5 = max_loss_increase; drift needs inc > max.
        var thresholds = DriftThresholds.Default with { MaxLossIncrease = 0.5 };

        var result = DriftCalculator.Compute(Metrics(("loss", 0.25)), Metrics(("loss", 0.375)), null, thresholds);

        Assert.Equal(0.5, result.Metrics["loss"].Change);
        Assert.False(result.Metrics["loss"].Drifted);
        Assert.Equal(0.0, result.Severity);
    }

    [Fact]
    public void A_ratio_exactly_at_the_threshold_is_not_drift()
    {
        // ratio = 0.375 / 0.5 = 0.75 = min_accuracy_ratio; drift needs ratio < min.
        var thresholds = DriftThresholds.Default with { MinAccuracyRatio = 0.75 };

        var result = DriftCalculator.Compute(Metrics(("accuracy", 0.5)), Metrics(("accuracy", 0.375)), null, thresholds);

        Assert.Equal(0.75, result.Metrics["accuracy"].Change);
        Assert.False(result.Metrics["accuracy"].Drifted);
        Assert.Equal(0.0, result.Severity);
    }

    [Fact]
    public void The_profile_thresholds_are_used()
    {
        // The README example under max_loss_increase 1.0 and min_accuracy_ratio 0.8: inc 0.607 <= 1, ratio 0.851 >= 0.8.
        var thresholds = DriftThresholds.Default with { MaxLossIncrease = 1.0, MinAccuracyRatio = 0.8 };

        var result = DriftCalculator.Compute(
            Metrics(("loss", 0.28), ("accuracy", 0.94)), Metrics(("loss", 0.45), ("accuracy", 0.80)), null, thresholds);

        Assert.False(result.Drifted);
        Assert.Equal(0.0, result.Severity);
        Assert.Equal((1.0, 0.8), (result.Metrics["loss"].Threshold, result.Metrics["accuracy"].Threshold));
    }

    [Fact]
    public void A_confidence_threshold_of_1_still_reports_drift_when_a_metric_was_compared()
    {
        // Confidence is 1 whenever a metric is compared, so only a threshold above 1 can hold drift back.
        var thresholds = DriftThresholds.Default with { ConfidenceThreshold = 1.0 };

        var result = DriftCalculator.Compute(
            Metrics(("loss", 0.28), ("accuracy", 0.94)), Metrics(("loss", 0.45), ("accuracy", 0.80)), null, thresholds);

        Assert.True(result.Drifted);
        Assert.Equal(1.0, result.Confidence);
    }

    [Theory]
    [InlineData(0.0, "monitor", "low")]
    [InlineData(0.2999999, "monitor", "low")]
    [InlineData(0.3, "investigate", "medium")]
    [InlineData(0.5999999, "investigate", "medium")]
    [InlineData(0.6, "investigate", "high")]
    [InlineData(0.7999999, "investigate", "high")]
    [InlineData(0.8, "consider_revoke", "critical")]
    [InlineData(1.0, "consider_revoke", "critical")]
    public void Action_and_alert_switch_at_0_3_0_6_and_0_8(double severity, string action, string alert)
    {
        Assert.Equal(action, DriftCalculator.ActionFor(severity));
        Assert.Equal(alert, DriftCalculator.AlertSeverityFor(severity));
    }

    [Fact]
    public void Ks_of_identical_samples_is_0()
    {
        double[] sample = [0.3, 0.1, 0.4, 0.1, 0.5, 0.9, 0.2, 0.6, 0.5, 0.3];

        Assert.Equal(0.0, DriftCalculator.KolmogorovSmirnov(sample, sample));
        Assert.Equal(0.0, DriftCalculator.KolmogorovSmirnov(sample, [.. sample.Reverse()]));
    }

    [Fact]
    public void Ks_of_disjoint_samples_is_1()
    {
        // Every training value is below every serving value: F_train reaches 1 while F_serving is still 0.
        Assert.Equal(1.0, DriftCalculator.KolmogorovSmirnov(Range(1, 10), Range(11, 20)));
        Assert.Equal(1.0, DriftCalculator.KolmogorovSmirnov(Range(11, 20), Range(1, 10)));
    }

    [Fact]
    public void Ks_of_half_overlapping_samples_is_0_5()
    {
        // a = 1..10, b = 6..15. For 5 <= x < 11: F_a(x) = min(x, 10)/10 and F_b(x) = max(0, x - 5)/10,
        // so at x = 5: 0.5 - 0 = 0.5; at x = 10: 1.0 - 0.5 = 0.5; never more. D = 0.5.
        Assert.Equal(0.5, DriftCalculator.KolmogorovSmirnov(Range(1, 10), Range(6, 15)), Decimals);
    }

    [Fact]
    public void Ks_counts_ties_on_both_sides_before_comparing()
    {
        // a = {1, 2, 2, 3} (n = 4), b = {2, 3, 3, 4, 5} (m = 5). The ECDFs at each distinct value:
        //   x = 1: F_a = 1/4, F_b = 0/5 → 0.25
        //   x = 2: F_a = 3/4, F_b = 1/5 → 0.55   ← the supremum
        //   x = 3: F_a = 4/4, F_b = 3/5 → 0.40
        //   x = 4: F_a = 1,   F_b = 4/5 → 0.20
        //   x = 5: F_a = 1,   F_b = 5/5 → 0
        Assert.Equal(0.55, DriftCalculator.KolmogorovSmirnov([1, 2, 2, 3], [2, 3, 3, 4, 5]), Decimals);
        Assert.Equal(0.55, DriftCalculator.KolmogorovSmirnov([2, 3, 3, 4, 5], [1, 2, 2, 3]), Decimals);
    }

    [Fact]
    public void Psi_of_identical_samples_is_0()
    {
        var sample = Range(1, 20);

        Assert.Equal(0.0, DriftCalculator.PopulationStabilityIndex(sample, sample), Decimals);
    }

    [Fact]
    public void Psi_of_a_shifted_sample_matches_the_hand_computation()
    {
        // Training 1..20: edges at sorted[floor(k * 20 / 10)] = sorted[2k] = 2k + 1, i.e. 3, 5, …, 19.
        // Bin k holds the values with exactly k edges <= them: [-inf,3) [3,5) … [17,19) [19,inf), two training values each (0.1).
        // Serving 11..30: bins 0–4 empty (smoothed to 1e-4), bins 5–8 two values each (0.1), bin 9 twelve values (0.6).
        //   bins 0–4: 5 × (0.0001 - 0.1) × ln(0.0001 / 0.1) = 5 × 0.690084752… = 3.450423761…
        //   bins 5–8: 0
        //   bin 9:    (0.6 - 0.1) × ln(6) = 0.895879734…
        //   PSI = 4.346303496…
        var psi = DriftCalculator.PopulationStabilityIndex(Range(1, 20), Range(11, 30));

        Assert.Equal(4.346303496465604, psi, 9);
    }

    [Fact]
    public void Psi_puts_a_value_equal_to_an_edge_in_the_upper_bin()
    {
        // Training 1..20 has edges 3, 5, …, 19 (see above). Serving: five 3s and five 4s.
        // Upper-bin convention (bin k = values with k edges <= them): 3 and 4 both fall in [3,5) → bin 1 holds 1.0.
        //   PSI = (1.0 - 0.1) × ln(10) + 9 × (0.0001 - 0.1) × ln(0.001) = 2.072326584 + 6.210762771 = 8.283089355…
        // (Were 3 put in the lower bin, bins 0 and 1 would hold 0.5 each and PSI would be 0.8 × ln 5 + 8 × 0.690 = 6.81….)
        double[] serving = [3, 3, 3, 3, 3, 4, 4, 4, 4, 4];

        var psi = DriftCalculator.PopulationStabilityIndex(Range(1, 20), serving);

        Assert.Equal(8.283089355027482, psi, 9);
    }

    [Fact]
    public void Compute_reports_ks_and_psi_with_their_thresholds_and_sample_counts()
    {
        var distribution = new DistributionSample([.. Range(1, 10)], [.. Range(6, 15)]);

        var result = DriftCalculator.Compute(Metrics(("loss", 0.28)), Metrics(("loss", 0.28)), distribution, DriftThresholds.Default);

        Assert.NotNull(result.Ks);
        Assert.Equal(0.5, result.Ks.Value, Decimals);
        Assert.Equal((0.10, true, 10, 10), (result.Ks.Threshold, result.Ks.Drifted, result.Ks.TrainingSamples, result.Ks.ServingSamples));
        Assert.NotNull(result.Psi);
        Assert.Equal(0.2, result.Psi.Threshold);
        Assert.True(result.Psi.Drifted);
        Assert.True(result.DistributionDrifted);
        Assert.False(result.Drifted);
        Assert.Equal(0.0, result.Severity);
        Assert.Equal("monitor", result.Action);
    }

    [Fact]
    public void Identical_distributions_are_not_distribution_drift()
    {
        var distribution = new DistributionSample([.. Range(1, 20)], [.. Range(1, 20)]);

        var result = DriftCalculator.Compute(Metrics(("loss", 0.28)), Metrics(("loss", 0.28)), distribution, DriftThresholds.Default);

        Assert.Equal(0.0, result.Ks!.Value);
        Assert.Equal(0.0, result.Psi!.Value, Decimals);
        Assert.False(result.DistributionDrifted);
    }

    [Theory]
    [InlineData(9, 10)]
    [InlineData(10, 9)]
    [InlineData(0, 20)]
    public void Fewer_than_10_samples_on_a_side_computes_neither_ks_nor_psi(int trainingCount, int servingCount)
    {
        var distribution = new DistributionSample([.. Range(1, trainingCount)], [.. Range(100, 100 + servingCount - 1)]);

        var result = DriftCalculator.Compute(Metrics(("loss", 0.28)), Metrics(("loss", 0.28)), distribution, DriftThresholds.Default);

        Assert.Null(result.Ks);
        Assert.Null(result.Psi);
        Assert.False(result.DistributionDrifted);
    }

    [Fact]
    public void A_missing_side_of_the_distribution_computes_neither_ks_nor_psi()
    {
        var result = DriftCalculator.Compute(
            Metrics(("loss", 0.28)), Metrics(("loss", 0.28)), new DistributionSample([.. Range(1, 20)], null), DriftThresholds.Default);

        Assert.Null(result.Ks);
        Assert.Null(result.Psi);
    }

    [Fact]
    public void Exactly_10_samples_each_is_enough()
    {
        var distribution = new DistributionSample([.. Range(1, 10)], [.. Range(1, 10)]);

        var result = DriftCalculator.Compute(Metrics(("loss", 0.28)), Metrics(("loss", 0.28)), distribution, DriftThresholds.Default);

        Assert.NotNull(result.Ks);
        Assert.NotNull(result.Psi);
    }

    [Fact]
    public void Ks_at_its_threshold_is_not_drift_and_just_above_is()
    {
        // Sixteenths are exact in binary. a = 1..16, b = 3..18: F_a(x) - F_b(x) = 2/16 for 2 <= x <= 16, so D = 0.125.
        // a = 1..16, b = 4..19: D = 3/16 = 0.1875. With ks_threshold 0.125 drift needs D > 0.125.
        var thresholds = DriftThresholds.Default with { KsThreshold = 0.125 };

        var atThreshold = DriftCalculator.Compute(
            Metrics(("loss", 0.28)), Metrics(("loss", 0.28)), new DistributionSample([.. Range(1, 16)], [.. Range(3, 18)]), thresholds);
        var above = DriftCalculator.Compute(
            Metrics(("loss", 0.28)), Metrics(("loss", 0.28)), new DistributionSample([.. Range(1, 16)], [.. Range(4, 19)]), thresholds);

        Assert.Equal(0.125, atThreshold.Ks!.Value);
        Assert.False(atThreshold.Ks.Drifted);
        Assert.Equal(0.1875, above.Ks!.Value);
        Assert.True(above.Ks.Drifted);
    }

    private static Dictionary<string, double> Metrics(params (string Name, double Value)[] metrics) =>
        metrics.ToDictionary(m => m.Name, m => m.Value, StringComparer.Ordinal);

    private static double[] Range(int from, int to) => [.. Enumerable.Range(from, Math.Max(0, to - from + 1)).Select(i => (double)i)];
}
