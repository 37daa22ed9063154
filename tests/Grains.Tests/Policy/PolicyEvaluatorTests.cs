using Governance.Grains.Ledger;
using Governance.Grains.Models;
using Governance.Grains.Policy;
using Governance.Grains.Tests.Models;
using static Governance.Grains.Tests.Models.TestModels;

namespace Governance.Grains.Tests.Policy;

/// <summary>Policy profiles evaluated at submission (DESIGN §5.6).</summary>
[Trait("Category", "Unit")]
public class PolicyEvaluatorTests
{
    private static readonly string[] BothEnvironments = ["production", "staging"];

    [Fact]
    public void Strict_lists_every_failure_at_once()
    {
        var training = TrainingWith(new() { ["accuracy"] = 0.85, ["harmful_rate"] = 0.01 });

        var evaluation = PolicyEvaluator.Evaluate(
            BuiltInPolicyCatalog.Strict, training, ["dev", "production"], requiredApprovers: 1, TimeSpan.FromDays(120), Now);

        Assert.False(evaluation.Passed);
        Assert.Equal(
            new[] { "environment", "max_ttl_days", "metrics.accuracy.min", "metrics.fairness_subgroup_delta", "metrics.harmful_rate.max", "min_approvers" },
            evaluation.Failures.Select(f => f.Rule).Order(StringComparer.Ordinal));
        var byRule = evaluation.Failures.ToDictionary(f => f.Rule);
        Assert.Equal("dev", byRule["environment"].Observed);
        Assert.Equal(("1", "2"), (byRule["min_approvers"].Observed, byRule["min_approvers"].Bound));
        Assert.Equal(("120", "90"), (byRule["max_ttl_days"].Observed, byRule["max_ttl_days"].Bound));
        Assert.Equal(("0.85", "0.9"), (byRule["metrics.accuracy.min"].Observed, byRule["metrics.accuracy.min"].Bound));
        Assert.Null(byRule["metrics.fairness_subgroup_delta"].Observed);
        Assert.Equal(("0.01", "0.005"), (byRule["metrics.harmful_rate.max"].Observed, byRule["metrics.harmful_rate.max"].Bound));
        Assert.All(evaluation.Failures, f => Assert.False(string.IsNullOrWhiteSpace(f.Message)));
    }

    [Fact]
    public void Strict_bounds_are_inclusive()
    {
        var training = TrainingWith(new() { ["accuracy"] = 0.90, ["fairness_subgroup_delta"] = 0.05, ["harmful_rate"] = 0.005 });

        var evaluation = PolicyEvaluator.Evaluate(
            BuiltInPolicyCatalog.Strict, training, BothEnvironments, requiredApprovers: 2, TimeSpan.FromDays(90), Now);

        Assert.True(evaluation.Passed, string.Join(" ", evaluation.Failures.Select(f => f.Message)));
    }

    public static TheoryData<string, string> JustOutside => new()
    {
        { "accuracy 0.8999999", "metrics.accuracy.min" },
        { "harmful_rate 0.0050001", "metrics.harmful_rate.max" },
        { "fairness_subgroup_delta 0.0500001", "metrics.fairness_subgroup_delta.max" },
        { "ttl 90 days and 1 second", "max_ttl_days" },
        { "1 approver", "min_approvers" },
        { "environment dev", "environment" },
    };

    [Theory]
    [MemberData(nameof(JustOutside))]
    public void Strict_fails_just_outside_each_bound(string change, string rule)
    {
        var metrics = new Dictionary<string, double> { ["accuracy"] = 0.90, ["fairness_subgroup_delta"] = 0.05, ["harmful_rate"] = 0.005 };
        var environments = BothEnvironments;
        var approvers = 2;
        var ttl = TimeSpan.FromDays(90);
        switch (change)
        {
            case "accuracy 0.8999999": metrics["accuracy"] = 0.8999999; break;
            case "harmful_rate 0.0050001": metrics["harmful_rate"] = 0.0050001; break;
            case "fairness_subgroup_delta 0.0500001": metrics["fairness_subgroup_delta"] = 0.0500001; break;
            case "ttl 90 days and 1 second": ttl += TimeSpan.FromSeconds(1); break;
            case "1 approver": approvers = 1; break;
            case "environment dev": environments = ["dev"]; break;
            default: throw new ArgumentOutOfRangeException(nameof(change));
        }

        var evaluation = PolicyEvaluator.Evaluate(BuiltInPolicyCatalog.Strict, TrainingWith(metrics), environments, approvers, ttl, Now);

        Assert.Equal(rule, Assert.Single(evaluation.Failures).Rule);
    }

    [Fact]
    public void Hashes_are_deterministic_and_cover_the_inputs()
    {
        var metrics = new Dictionary<string, double> { ["accuracy"] = 0.95, ["harmful_rate"] = 0.001, ["fairness_subgroup_delta"] = 0.01 };
        var reordered = new Dictionary<string, double> { ["fairness_subgroup_delta"] = 0.01, ["harmful_rate"] = 0.001, ["accuracy"] = 0.95 };
        var ttl = TimeSpan.FromDays(30);

        var first = PolicyEvaluator.Evaluate(BuiltInPolicyCatalog.Strict, TrainingWith(metrics), BothEnvironments, 2, ttl, Now);
        var again = PolicyEvaluator.Evaluate(BuiltInPolicyCatalog.Strict, TrainingWith(reordered), BothEnvironments, 2, ttl, Now.AddDays(1));
        var otherMetric = PolicyEvaluator.Evaluate(
            BuiltInPolicyCatalog.Strict, TrainingWith(new(metrics) { ["accuracy"] = 0.96 }), BothEnvironments, 2, ttl, Now);
        var otherTtl = PolicyEvaluator.Evaluate(BuiltInPolicyCatalog.Strict, TrainingWith(metrics), BothEnvironments, 2, ttl * 2, Now);
        var otherProfile = PolicyEvaluator.Evaluate(BuiltInPolicyCatalog.Default, TrainingWith(metrics), BothEnvironments, 2, ttl, Now);

        Assert.Equal((first.ProfileSha256, first.InputsSha256), (again.ProfileSha256, again.InputsSha256));
        Assert.Matches("^[0-9a-f]{64}$", first.InputsSha256);
        Assert.Matches("^[0-9a-f]{64}$", first.ProfileSha256);
        Assert.NotEqual(first.InputsSha256, otherMetric.InputsSha256);
        Assert.NotEqual(first.InputsSha256, otherTtl.InputsSha256);
        Assert.NotEqual(first.ProfileSha256, otherProfile.ProfileSha256);
        Assert.Equal(("strict", "1"), (first.Profile, first.Version));
    }

    [Fact]
    public void Submit_under_a_failing_profile_writes_policy_evaluated_and_refuses_after_the_write()
    {
        var trained = Commit(ModelStateMachine.RecordTraining(
            NoModel(), As(Trainer), Training() with { Metrics = new() { ["accuracy"] = 0.5 } }, T0), T0);

        var transition = ModelStateMachine.Submit(
            trained, As(Submitter), Submission() with { Profile = "strict", RequiredApprovers = 1 }, Policies, FirstApprovalId, SubmitTime);

        var evidence = Assert.Single(transition.Events);
        EvidenceAssert.Event(evidence, LedgerEvents.PolicyEvaluated, Submitter, "profile", "version", "profile_sha256", "inputs_sha256", "passed", "failures");
        Assert.Equal("strict", EvidenceAssert.Text(evidence, "profile"));
        Assert.Equal("1", EvidenceAssert.Text(evidence, "version"));
        Assert.False(EvidenceAssert.Field(evidence, "passed")!.GetValue<bool>());
        var loggedRules = EvidenceAssert.Field(evidence, "failures")!.AsArray().Select(f => f!["rule"]!.GetValue<string>()).ToArray();
        Assert.Equal(["metrics.accuracy.min", "metrics.fairness_subgroup_delta", "metrics.harmful_rate", "min_approvers"], loggedRules.Order(StringComparer.Ordinal));

        var expected = PolicyEvaluator.Evaluate(
            BuiltInPolicyCatalog.Strict, trained.Training!, BothEnvironments, 1, TimeSpan.FromDays(TtlDays), SubmitTime);
        Assert.Equal(expected.ProfileSha256, EvidenceAssert.Text(evidence, "profile_sha256"));
        Assert.Equal(expected.InputsSha256, EvidenceAssert.Text(evidence, "inputs_sha256"));

        var refusal = transition.RefusalAfterWrite!;
        Assert.Equal(ErrorCodes.PolicyViolation, refusal.Code);
        Assert.Equal(4, refusal.Failures!.Count);
        Assert.Null(transition.State.Approval);
        Assert.Empty(transition.Reminders);
    }

    [Fact]
    public void Submit_under_an_unknown_profile_is_a_policy_violation_with_evidence()
    {
        var transition = ModelStateMachine.Submit(
            Trained(), As(Submitter), Submission() with { Profile = "no-such-profile" }, Policies, FirstApprovalId, SubmitTime);

        var evidence = Assert.Single(transition.Events);
        EvidenceAssert.Event(evidence, LedgerEvents.PolicyEvaluated, Submitter, "profile", "passed", "failures");
        Assert.Equal("no-such-profile", EvidenceAssert.Text(evidence, "profile"));
        Assert.False(EvidenceAssert.Field(evidence, "passed")!.GetValue<bool>());
        Assert.Equal(ErrorCodes.PolicyViolation, transition.RefusalAfterWrite!.Code);
        Assert.Null(transition.State.Approval);
    }

    [Fact]
    public void A_profile_out_of_effect_fails_closed()
    {
        var expired = BuiltInPolicyCatalog.Default with { Name = "retired", EffectiveUntil = Now };
        var future = BuiltInPolicyCatalog.Default with { Name = "future", EffectiveFrom = Now.AddTicks(1) };

        var atUntil = PolicyEvaluator.Evaluate(expired, TrainingWith(GoodMetrics()), BothEnvironments, 1, TimeSpan.FromDays(1), Now);
        var beforeFrom = PolicyEvaluator.Evaluate(future, TrainingWith(GoodMetrics()), BothEnvironments, 1, TimeSpan.FromDays(1), Now);

        Assert.Equal("effective_until", Assert.Single(atUntil.Failures).Rule);
        Assert.Equal("effective_from", Assert.Single(beforeFrom.Failures).Rule);
    }

    [Fact]
    public void Per_environment_minimum_approvers_and_required_card_fields_apply()
    {
        var profile = BuiltInPolicyCatalog.Default with
        {
            MinApproversByEnvironment = new Dictionary<string, int> { ["production"] = 3 },
            RequiredCardFields = ["owner", "intended_use"],
        };

        var evaluation = PolicyEvaluator.Evaluate(profile, TrainingWith(GoodMetrics()), BothEnvironments, 2, TimeSpan.FromDays(1), Now);

        Assert.Equal(["card.intended_use", "min_approvers"], evaluation.Failures.Select(f => f.Rule).Order(StringComparer.Ordinal));
    }

    private static TrainingRecord TrainingWith(Dictionary<string, double> metrics) =>
        new(WeightsHash, metrics, Card(), null, null, Trainer, T0, 1);
}
