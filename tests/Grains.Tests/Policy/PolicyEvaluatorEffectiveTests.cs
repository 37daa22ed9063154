using System.Text.Json;
using Governance.Grains.Ledger;
using Governance.Grains.Models;
using Governance.Grains.Policy;
using Governance.Grains.Tests.Models;
using Governance.Grains.Wire;
using Microsoft.Extensions.DependencyInjection;
using static Governance.Grains.Tests.Models.TestModels;

namespace Governance.Grains.Tests.Policy;

/// <summary>
/// Profiles from a policy file, evaluated at the moment of each submission (DESIGN §5.6): the
/// effective window, per-environment approvers, every failure at once as a 422, and inclusive bounds.
/// </summary>
[Trait("Category", "Unit")]
public sealed class PolicyEvaluatorEffectiveTests : IDisposable
{
    private const string Four = "2026-01-02T04:00:00Z";

    private const string PolicyYaml = """
        version: 1
        profiles:
          default:
            version: "1"
            environments: [dev, staging, production]
            min_approvers: 1
            default_ttl_days: 90
            max_ttl_days: 365
          until-four:
            version: "3"
            environments: [staging, production]
            min_approvers: 1
            default_ttl_days: 30
            max_ttl_days: 90
            effective_until: "2026-01-02T04:00:00Z"
          from-four:
            version: "4"
            environments: [staging, production]
            min_approvers: 1
            default_ttl_days: 30
            max_ttl_days: 90
            effective_from: "2026-01-02T04:00:00Z"
          per-env:
            version: "5"
            environments: [dev, staging, production]
            min_approvers: 1
            min_approvers_by_environment: { production: 3 }
            default_ttl_days: 30
            max_ttl_days: 90
          gated:
            version: "7"
            environments: [staging, production]
            min_approvers: 2
            min_approvers_by_environment: { production: 3 }
            default_ttl_days: 30
            max_ttl_days: 60
            effective_until: "2026-01-02T04:00:00Z"
            metrics:
              accuracy: { min: 0.9 }
              harmful_rate: { max: 0.005 }
              recall: { min: 0.5 }
            required_card_fields: [owner, intended_use]
        """;

    private static readonly DateTimeOffset FourOClock = new(2026, 1, 2, 4, 0, 0, TimeSpan.Zero);

    private readonly string _policyFile;
    private readonly IReadOnlyDictionary<string, PolicyProfile> _profiles;

    public PolicyEvaluatorEffectiveTests()
    {
        _policyFile = Path.Combine(Path.GetTempPath(), $"policy-effective-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(_policyFile, PolicyYaml);
        _profiles = PolicyFileLoader.LoadFile(_policyFile);
    }

    public void Dispose() => File.Delete(_policyFile);

    [Fact]
    public async Task A_profile_that_expires_between_two_submissions_passes_the_first_and_fails_the_second()
    {
        await using var runtime = await RuntimeAsync();
        await runtime.Model().RecordTraining(As(Trainer), Training());

        var first = await runtime.Model().SubmitApproval(As(Submitter), Submit("until-four"));
        runtime.Clock.SetUtcNow(FourOClock);
        var refusal = await Assert.ThrowsAsync<GovernanceException>(
            () => runtime.Model().SubmitApproval(As(Submitter), Submit("until-four") with { Supersede = true }));

        Assert.Equal(ApprovalStatus.Pending, first.Status);
        Assert.Equal(ErrorCodes.PolicyViolation, refusal.Code);
        Assert.Equal(422, ErrorCodes.HttpStatus(refusal.Code));
        var failure = Assert.Single(refusal.Failures!);
        Assert.Equal(("effective_until", Four, Four), (failure.Rule, failure.Observed, failure.Bound));
        Assert.Contains("until-four", failure.Message, StringComparison.Ordinal);

        var model = await runtime.Model().GetModel();
        Assert.Equal(first.ApprovalId, model.Approval!.ApprovalId);
        Assert.Equal(ApprovalStatus.Pending, model.Status);
        var evaluations = (await runtime.EvidenceAsync()).Where(e => Event(e) == LedgerEvents.PolicyEvaluated).ToArray();
        Assert.Equal([true, false], evaluations.Select(e => e.GetProperty("data").GetProperty("passed").GetBoolean()));
        Assert.Equal("3", evaluations[1].GetProperty("data").GetProperty("version").GetString());
    }

    [Fact]
    public async Task A_long_expired_profile_fails_with_the_time_of_the_decision()
    {
        await using var runtime = await RuntimeAsync();
        await runtime.Model().RecordTraining(As(Trainer), Training());
        runtime.Clock.SetUtcNow(new DateTimeOffset(2027, 3, 4, 5, 6, 7, TimeSpan.Zero).AddMilliseconds(890));

        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => runtime.Model().SubmitApproval(As(Submitter), Submit("until-four")));

        var failure = Assert.Single(refusal.Failures!);
        Assert.Equal(("effective_until", "2027-03-04T05:06:07Z", Four), (failure.Rule, failure.Observed, failure.Bound));
    }

    [Fact]
    public async Task A_profile_not_yet_in_effect_fails_until_its_effective_from_then_passes()
    {
        await using var runtime = await RuntimeAsync();
        await runtime.Model().RecordTraining(As(Trainer), Training());

        var early = await Assert.ThrowsAsync<GovernanceException>(() => runtime.Model().SubmitApproval(As(Submitter), Submit("from-four")));
        runtime.Clock.SetUtcNow(FourOClock.AddTicks(-1));
        var justBefore = await Assert.ThrowsAsync<GovernanceException>(() => runtime.Model().SubmitApproval(As(Submitter), Submit("from-four")));
        runtime.Clock.SetUtcNow(FourOClock);
        var atFrom = await runtime.Model().SubmitApproval(As(Submitter), Submit("from-four"));

        var failure = Assert.Single(early.Failures!);
        Assert.Equal(("effective_from", "2026-01-02T03:04:05Z", Four), (failure.Rule, failure.Observed, failure.Bound));
        Assert.Equal(("effective_from", "2026-01-02T03:59:59Z", Four), (justBefore.Failures![0].Rule, justBefore.Failures[0].Observed, justBefore.Failures[0].Bound));
        Assert.Equal(ApprovalStatus.Pending, atFrom.Status);
        Assert.Equal("from-four", atFrom.Profile);
    }

    [Fact]
    public void The_effective_window_includes_its_start_and_excludes_its_end()
    {
        var training = TrainingWith(GoodMetrics());

        Assert.True(Evaluate("from-four", training, ["staging"], 1, TimeSpan.FromDays(1), FourOClock).Passed);
        Assert.True(Evaluate("until-four", training, ["staging"], 1, TimeSpan.FromDays(1), FourOClock.AddTicks(-1)).Passed);
        Assert.Equal("effective_until", Assert.Single(Evaluate("until-four", training, ["staging"], 1, TimeSpan.FromDays(1), FourOClock).Failures).Rule);
        Assert.Equal("effective_from", Assert.Single(Evaluate("from-four", training, ["staging"], 1, TimeSpan.FromDays(1), FourOClock.AddTicks(-1)).Failures).Rule);
    }

    [Fact]
    public async Task Every_failure_is_listed_in_one_422_with_rule_observed_value_and_bound()
    {
        await using var runtime = await RuntimeAsync();
        await runtime.Model().RecordTraining(As(Trainer), Training() with
        {
            Metrics = new() { ["accuracy"] = 0.85, ["harmful_rate"] = 0.01 },
        });
        runtime.Clock.SetUtcNow(FourOClock);

        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => runtime.Model().SubmitApproval(
            As(Submitter),
            new ApprovalRequest("gated", ["production", "dev"], null, RequiredApprovers: 2, ApprovalTtlDays: 61, null, null)));

        Assert.Equal(ErrorCodes.PolicyViolation, refusal.Code);
        Assert.Equal(422, ErrorCodes.HttpStatus(refusal.Code));
        var expected = new (string Rule, string? Observed, string? Bound)[]
        {
            ("card.intended_use", null, "present"),
            ("effective_until", Four, Four),
            ("environment", "dev", "staging,production"),
            ("max_ttl_days", "61", "60"),
            ("metrics.accuracy.min", "0.85", "0.9"),
            ("metrics.harmful_rate.max", "0.01", "0.005"),
            ("metrics.recall", null, ">= 0.5"),
            ("min_approvers", "2", "3"),
        };
        Assert.Equal(expected, refusal.Failures!.Select(f => (f.Rule, f.Observed, f.Bound)).OrderBy(f => f.Rule, StringComparer.Ordinal));
        Assert.All(refusal.Failures!, f => Assert.Contains(f.Message, refusal.Message, StringComparison.Ordinal));

        var evaluated = (await runtime.EvidenceAsync()).Last(e => Event(e) == LedgerEvents.PolicyEvaluated).GetProperty("data");
        Assert.False(evaluated.GetProperty("passed").GetBoolean());
        Assert.Equal(("gated", "7"), (evaluated.GetProperty("profile").GetString(), evaluated.GetProperty("version").GetString()));
        var logged = evaluated.GetProperty("failures").EnumerateArray()
            .Select(f => (f.GetProperty("rule").GetString()!, Text(f.GetProperty("observed")), Text(f.GetProperty("bound"))))
            .OrderBy(f => f.Item1, StringComparer.Ordinal);
        Assert.Equal(expected, logged);
    }

    [Fact]
    public async Task An_unknown_profile_is_a_422_naming_it()
    {
        await using var runtime = await RuntimeAsync();
        await runtime.Model().RecordTraining(As(Trainer), Training());

        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => runtime.Model().SubmitApproval(As(Submitter), Submit("strict")));

        Assert.Equal(422, ErrorCodes.HttpStatus(refusal.Code));
        var failure = Assert.Single(refusal.Failures!);
        Assert.Equal(("profile", "strict", null), (failure.Rule, failure.Observed, failure.Bound));
        Assert.Null((await runtime.Model().GetModel()).Approval);
    }

    [Theory]
    [InlineData(new[] { "staging" }, 1, true)]
    [InlineData(new[] { "dev", "staging" }, 1, true)]
    [InlineData(new[] { "production" }, 2, false)]
    [InlineData(new[] { "staging", "production" }, 2, false)]
    [InlineData(new[] { "production" }, 3, true)]
    [InlineData(new[] { "staging", "production" }, 3, true)]
    public void Min_approvers_apply_per_environment(string[] environments, int required, bool passes)
    {
        var evaluation = Evaluate("per-env", TrainingWith(GoodMetrics()), environments, required, TimeSpan.FromDays(1), Now);

        Assert.Equal(passes, evaluation.Passed);
        if (!passes)
        {
            var failure = Assert.Single(evaluation.Failures);
            Assert.Equal(("min_approvers", required.ToString(System.Globalization.CultureInfo.InvariantCulture), "3"), (failure.Rule, failure.Observed, failure.Bound));
        }
    }

    [Fact]
    public void Values_equal_to_their_bounds_pass()
    {
        // accuracy min 0.9 with 0.9, harmful_rate max 0.005 with 0.005, recall min 0.5 with 0.5,
        // 3 approvers for production (min 3), a TTL of exactly max_ttl_days 60, decided just before effective_until.
        var training = TrainingWith(new() { ["accuracy"] = 0.9, ["harmful_rate"] = 0.005, ["recall"] = 0.5 }, """{"owner":"a","intended_use":"b"}""");

        var evaluation = Evaluate("gated", training, ["staging", "production"], 3, TimeSpan.FromDays(60), FourOClock.AddTicks(-1));

        Assert.True(evaluation.Passed, string.Join(" ", evaluation.Failures.Select(f => f.Message)));
    }

    [Fact]
    public void A_ttl_of_exactly_max_ttl_days_in_seconds_passes()
    {
        var training = TrainingWith(GoodMetrics());

        var atMax = Evaluate("per-env", training, ["dev"], 1, TimeSpan.FromSeconds(90 * 86_400), Now);
        var overMax = Evaluate("per-env", training, ["dev"], 1, TimeSpan.FromSeconds((90 * 86_400) + 1), Now);

        Assert.True(atMax.Passed);
        Assert.Equal("max_ttl_days", Assert.Single(overMax.Failures).Rule);
    }

    [Fact]
    public void A_metric_just_outside_its_bound_fails()
    {
        var training = TrainingWith(new() { ["accuracy"] = 0.8999999, ["harmful_rate"] = 0.0050001, ["recall"] = 0.5 }, """{"owner":"a","intended_use":"b"}""");

        var evaluation = Evaluate("gated", training, ["staging"], 2, TimeSpan.FromDays(60), Now);

        Assert.Equal(["metrics.accuracy.min", "metrics.harmful_rate.max"], evaluation.Failures.Select(f => f.Rule).Order(StringComparer.Ordinal));
    }

    private Task<GovernanceTestRuntime> RuntimeAsync() =>
        GovernanceTestRuntime.StartAsync(configureServices: services => services.Configure<PolicyOptions>(options => options.File = _policyFile));

    private PolicyEvaluation Evaluate(
        string profile, TrainingRecord training, IReadOnlyList<string> environments, int required, TimeSpan ttl, DateTimeOffset now) =>
        PolicyEvaluator.Evaluate(_profiles[profile], training, environments, required, ttl, now);

    private static ApprovalRequest Submit(string profile) =>
        new(profile, ["staging"], null, RequiredApprovers: 1, ApprovalTtlDays: null, ApprovalTtlSeconds: null, Supersede: null);

    private static TrainingRecord TrainingWith(Dictionary<string, double> metrics, string card = """{"owner":"risk-team"}""") =>
        new(WeightsHash, metrics, JsonDocument.Parse(card).RootElement.Clone(), null, null, Trainer, T0, 1);

    private static string? Event(JsonElement entry) => entry.GetProperty("event").GetString();

    private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetString();
}
