using Governance.Grains.Models;
using Governance.Grains.Wire;
using static Governance.Grains.Tests.Models.TestModels;

namespace Governance.Grains.Tests.Models;

/// <summary>The deploy gates of DESIGN §5.4, in order, first failure wins; verify applies gates 2–5.</summary>
[Trait("Category", "Unit")]
public class DeployGateTests
{
    private const string Deployed = "deployed";
    private const string Approved = "approved";

    /// <summary>Each case fails the named gate and, where possible, every later one as well.</summary>
    public static TheoryData<string, string> DeployCases => new()
    {
        { "no approval; env, scope, weights wrong; trainer deploys", ErrorCodes.ApprovalNotFound },
        { "other approval id; revoked, past expiry, env and weights wrong, trainer deploys", ErrorCodes.ApprovalMismatch },
        { "revoked; past expiry, env, scope and weights wrong, trainer deploys", ErrorCodes.ApprovalRevoked },
        { "pending at expires_at; env, scope and weights wrong, signer deploys", ErrorCodes.ApprovalExpired },
        { "stored deployed, one second past expires_at", ErrorCodes.ApprovalExpired },
        { "pending; env, scope and weights wrong, trainer deploys", ErrorCodes.QuorumNotMet },
        { "env not approved; scope and weights wrong, signer deploys", ErrorCodes.EnvironmentNotApproved },
        { "scope not approved; weights wrong, trainer deploys", ErrorCodes.ScopeNotApproved },
        { "no scope against restricted scopes; weights wrong", ErrorCodes.ScopeNotApproved },
        { "weights differ; trainer deploys", ErrorCodes.WeightsMismatch },
        { "trainer deploys", ErrorCodes.SeparationOfDuties },
        { "signer deploys", ErrorCodes.SeparationOfDuties },
        { "every gate passes", Deployed },
        { "one tick before expires_at", Deployed },
    };

    [Theory]
    [MemberData(nameof(DeployCases))]
    public void Deploy_gates_apply_in_order_and_the_first_failure_wins(string situation, string expected)
    {
        var (state, deployer, request, now) = Case(situation);

        var outcome = DeployOutcome(state, deployer, request, now);

        Assert.Equal(expected, outcome);
    }

    /// <summary>Verify answers what deploy would (gates 2–5) but ignores separation of duties (gate 6).</summary>
    public static TheoryData<string, string> VerifyCases => new()
    {
        { "revoked; past expiry, env, scope and weights wrong, trainer deploys", ErrorCodes.ApprovalRevoked },
        { "pending at expires_at; env, scope and weights wrong, signer deploys", ErrorCodes.ApprovalExpired },
        { "stored deployed, one second past expires_at", ErrorCodes.ApprovalExpired },
        { "pending; env, scope and weights wrong, trainer deploys", ErrorCodes.QuorumNotMet },
        { "env not approved; scope and weights wrong, signer deploys", ErrorCodes.EnvironmentNotApproved },
        { "scope not approved; weights wrong, trainer deploys", ErrorCodes.ScopeNotApproved },
        { "no scope against restricted scopes; weights wrong", ErrorCodes.ScopeNotApproved },
        { "weights differ; trainer deploys", ErrorCodes.WeightsMismatch },
        { "trainer deploys", Approved },
        { "signer deploys", Approved },
        { "every gate passes", Approved },
        { "one tick before expires_at", Approved },
    };

    [Theory]
    [MemberData(nameof(VerifyCases))]
    public void Verify_evaluates_deploy_gates_two_to_five(string situation, string expected)
    {
        var (state, deployer, request, now) = Case(situation);

        var decision = ModelStateMachine.Verify(state, new VerifyQuery(ModelId, request.Environment, request.Scope, request.WeightsHash), now);

        Assert.Equal(expected, decision.Reason);
        Assert.Equal(expected == Approved, decision.Allowed);
        Assert.Equal(state.Approval!.ApprovalId, decision.ApprovalId);
        if (expected != Approved)
        {
            Assert.Equal(expected, DeployOutcome(state, deployer, request, now));
        }
    }

    [Fact]
    public void Verify_exactly_at_expires_at_denies_and_one_tick_before_allows()
    {
        var state = QuorumReached();

        var before = ModelStateMachine.Verify(state, Query(), ExpiresAt.AddTicks(-1));
        var at = ModelStateMachine.Verify(state, Query(), ExpiresAt);

        Assert.True(before.Allowed);
        Assert.Equal(ApprovalStatus.QuorumReached, before.Status);
        Assert.False(at.Allowed);
        Assert.Equal(ErrorCodes.ApprovalExpired, at.Reason);
        Assert.Equal(ApprovalStatus.Expired, at.Status);
        Assert.Equal("2026-02-01T03:05:05Z", at.ExpiresAt);
    }

    [Fact]
    public void Verify_without_weights_hash_skips_the_weights_gate()
    {
        var decision = ModelStateMachine.Verify(QuorumReached(), Query(weightsHash: null), Now);

        Assert.True(decision.Allowed);
    }

    [Fact]
    public void Verify_without_scope_against_an_approval_that_restricts_scopes_is_denied()
    {
        var decision = ModelStateMachine.Verify(Scoped(), Query(scope: null), Now);

        Assert.Equal(ErrorCodes.ScopeNotApproved, decision.Reason);
        Assert.True(ModelStateMachine.Verify(Scoped(), Query(scope: "eu"), Now).Allowed);
    }

    [Fact]
    public void Verify_without_environment_is_denied()
    {
        var decision = ModelStateMachine.Verify(QuorumReached(), Query(environment: null), Now);

        Assert.Equal(ErrorCodes.EnvironmentNotApproved, decision.Reason);
    }

    [Fact]
    public void Verify_of_a_model_without_approval_is_approval_not_found_and_of_an_unknown_model_not_found()
    {
        Assert.Equal(ErrorCodes.ApprovalNotFound, ModelStateMachine.Verify(Trained(), Query(), Now).Reason);
        Assert.Equal(ErrorCodes.NotFound, ModelStateMachine.Verify(NoModel(), Query(), Now).Reason);
    }

    [Fact]
    public void Deploy_requires_weights_hash()
    {
        var refusal = Assert.Throws<GovernanceException>(() =>
            ModelStateMachine.Deploy(QuorumReached(), As(Deployer), Deployment() with { WeightsHash = null }, Now));

        Assert.Equal(ErrorCodes.InvalidRequest, refusal.Code);
    }

    private static string DeployOutcome(ModelState state, string deployer, DeploymentRequest request, DateTimeOffset now)
    {
        try
        {
            return ModelStateMachine.Deploy(state, As(deployer), request, now).State.Approval!.Status;
        }
        catch (GovernanceException refusal)
        {
            return refusal.Code;
        }
    }

    /// <summary>Quorum reached on an approval restricted to scopes eu and us.</summary>
    private static ModelState Scoped() => WithApproval(QuorumReached(), a => a with { Scopes = ["eu", "us"] });

    private static (ModelState State, string Deployer, DeploymentRequest Request, DateTimeOffset Now) Case(string situation) => situation switch
    {
        "no approval; env, scope, weights wrong; trainer deploys" =>
            (Trained(), Trainer, Deployment("dev", "asia", OtherWeightsHash), Now),
        "other approval id; revoked, past expiry, env and weights wrong, trainer deploys" =>
            (Revoked(), Trainer, Deployment("dev", null, OtherWeightsHash, SecondApprovalId), ExpiresAt.AddDays(1)),
        "revoked; past expiry, env, scope and weights wrong, trainer deploys" =>
            (WithApproval(Revoked(), a => a with { Scopes = ["eu"] }), Trainer, Deployment("dev", "asia", OtherWeightsHash), ExpiresAt.AddDays(1)),
        "pending at expires_at; env, scope and weights wrong, signer deploys" =>
            (WithApproval(Pending(), a => a with { Scopes = ["eu"] }), Alice, Deployment("dev", "asia", OtherWeightsHash), ExpiresAt),
        "stored deployed, one second past expires_at" =>
            (TestModels.Deployed(), Deployer, Deployment(), ExpiresAt.AddSeconds(1)),
        "pending; env, scope and weights wrong, trainer deploys" =>
            (WithApproval(Pending(), a => a with { Scopes = ["eu"] }), Trainer, Deployment("dev", "asia", OtherWeightsHash), Now),
        "env not approved; scope and weights wrong, signer deploys" =>
            (Scoped(), Alice, Deployment("dev", "asia", OtherWeightsHash), Now),
        "scope not approved; weights wrong, trainer deploys" =>
            (Scoped(), Trainer, Deployment("production", "asia", OtherWeightsHash), Now),
        "no scope against restricted scopes; weights wrong" =>
            (Scoped(), Deployer, Deployment("production", null, OtherWeightsHash), Now),
        "weights differ; trainer deploys" =>
            (QuorumReached(), Trainer, Deployment("production", null, OtherWeightsHash), Now),
        "trainer deploys" => (QuorumReached(), Trainer, Deployment(), Now),
        "signer deploys" => (QuorumReached(), Bob, Deployment(), Now),
        "every gate passes" => (Scoped(), Deployer, Deployment("production", "eu"), Now),
        "one tick before expires_at" => (QuorumReached(), Deployer, Deployment(), ExpiresAt.AddTicks(-1)),
        _ => throw new ArgumentOutOfRangeException(nameof(situation)),
    };
}
