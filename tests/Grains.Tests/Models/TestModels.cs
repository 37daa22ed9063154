using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Governance.Crypto;
using Governance.Grains.Evidence;
using Governance.Grains.Models;
using Governance.Grains.Policy;
using Governance.Grains.Wire;

namespace Governance.Grains.Tests.Models;

/// <summary>
/// Builders for model states and requests. States are reached by running the real state machine
/// from an empty model, so every fixture is one the product can actually produce.
/// </summary>
public static class TestModels
{
    public const string ModelId = "fraud-scorer";
    public const string Trainer = "tina";
    public const string Submitter = "sam";
    public const string Deployer = "dave";
    public const string Revoker = "ada";
    public const string Alice = "alice";
    public const string Bob = "bob";
    public const string Carol = "carol";
    public const string KeyId = "k1";
    public const string FirstApprovalId = "appr-1";
    public const string SecondApprovalId = "appr-2";
    public const string WeightsHash = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    public const string OtherWeightsHash = "sha256:60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";
    public const double TtlDays = 30;

    /// <summary>Training time, deliberately not on a whole second: 03:04:05.6789123.</summary>
    public static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(6_789_123);

    /// <summary>When the fixtures submit their approval (03:05:05.6789123).</summary>
    public static readonly DateTimeOffset SubmitTime = T0.AddMinutes(1);

    /// <summary><see cref="SubmitTime"/> truncated to whole seconds, as DESIGN §5.7 requires.</summary>
    public static readonly DateTimeOffset SubmittedAt = new(2026, 1, 2, 3, 5, 5, TimeSpan.Zero);

    public static readonly DateTimeOffset ExpiresAt = SubmittedAt.AddDays(TtlDays);

    /// <summary>When the table's commands run: after every fixture step, long before expiry.</summary>
    public static readonly DateTimeOffset Now = T0.AddMinutes(10);

    public static readonly BuiltInPolicyCatalog Policies = new();

    public static Caller As(string principal) => new(principal);

    public static Ed25519KeyPair KeyPair(string principal, string keyId = KeyId) =>
        Ed25519.FromSeed(SHA256.HashData(Encoding.UTF8.GetBytes(principal + "/" + keyId)));

    public static ApproverKey Key(string principal, string keyId = KeyId, bool revoked = false) =>
        new(principal, keyId, KeyPair(principal, keyId).PublicKey, revoked);

    public static JsonElement Card() => JsonDocument.Parse("""{"owner":"risk-team"}""").RootElement.Clone();

    public static Dictionary<string, double> GoodMetrics() => new(StringComparer.Ordinal)
    {
        ["accuracy"] = 0.95,
        ["fairness_subgroup_delta"] = 0.01,
        ["harmful_rate"] = 0.001,
    };

    public static TrainingOutputRequest Training(string weightsHash = WeightsHash, string? correlationId = null) =>
        new(weightsHash, GoodMetrics(), Card(), correlationId, null);

    /// <summary>Default profile, staging and production, all scopes, 2 approvers, 30 days.</summary>
    public static ApprovalRequest Submission() =>
        new(Profile: null, ApprovedEnvironments: ["staging", "production"], ApprovedScopes: null,
            RequiredApprovers: 2, ApprovalTtlDays: TtlDays, ApprovalTtlSeconds: null, Supersede: null);

    public static DeploymentRequest Deployment(
        string environment = "production", string? scope = null, string weightsHash = WeightsHash, string approvalId = FirstApprovalId) =>
        new(approvalId, environment, scope, weightsHash);

    public static VerifyQuery Query(string? environment = "production", string? scope = null, string? weightsHash = WeightsHash) =>
        new(ModelId, environment, scope, weightsHash);

    public static string Document(ModelState state) => ApprovalDocument.Canonical(state.ModelId, state.Approval!);

    /// <summary>A base64 Ed25519 signature by the principal's key over the approval's signing input.</summary>
    public static string Sign(ModelState state, string principal, string keyId = KeyId) =>
        Convert.ToBase64String(Ed25519.Sign(KeyPair(principal, keyId).Seed, ApprovalDocument.SigningInput(Document(state))));

    public static SignatureRequest SignatureBy(ModelState state, string principal, string keyId = KeyId) =>
        new(state.Approval!.ApprovalId, keyId, Sign(state, principal, keyId));

    /// <summary>Stores a transition as the grain does: the ledger seq and head move with its events.</summary>
    public static ModelState Commit(ModelTransition transition, DateTimeOffset now)
    {
        var state = transition.State;
        var append = EvidenceAppend.Create(state.ModelId, state.LedgerSeq, state.LedgerHead, transition.Events, now);
        return state with { LedgerSeq = append.Seq, LedgerHead = append.Head };
    }

    public static ModelState NoModel() => ModelStateMachine.Empty(ModelId);

    public static ModelState Trained() =>
        Commit(ModelStateMachine.RecordTraining(NoModel(), As(Trainer), Training(), T0), T0);

    public static ModelState Submitted(ApprovalRequest? request = null) =>
        Commit(ModelStateMachine.Submit(Trained(), As(Submitter), request ?? Submission(), Policies, FirstApprovalId, SubmitTime), SubmitTime);

    /// <summary>Pending with one of two signatures (alice's).</summary>
    public static ModelState Pending() => AddSignature(Submitted(), Alice, SubmitTime.AddMinutes(1));

    /// <summary>Signed by alice and bob.</summary>
    public static ModelState QuorumReached() => AddSignature(Pending(), Bob, SubmitTime.AddMinutes(2));

    /// <summary>Deployed to staging by dave.</summary>
    public static ModelState Deployed()
    {
        var at = SubmitTime.AddMinutes(3);
        return Commit(ModelStateMachine.Deploy(QuorumReached(), As(Deployer), Deployment("staging"), at), at);
    }

    public static ModelState Revoked()
    {
        var at = SubmitTime.AddMinutes(4);
        return Commit(ModelStateMachine.Revoke(Deployed(), As(Revoker), new RevocationRequest("manual review"), at), at);
    }

    /// <summary>The expiry reminder fired at expires_at on a quorum_reached approval: stored expired.</summary>
    public static ModelState Expired() => Commit(ModelStateMachine.Expire(QuorumReached(), ExpiresAt, ExpiresAt), ExpiresAt);

    public static ModelState AddSignature(ModelState state, string principal, DateTimeOffset at) =>
        Commit(ModelStateMachine.AddSignature(state, As(principal), SignatureBy(state, principal), Key(principal), at), at);

    /// <summary>The same model with its approval changed (for states no command sequence reaches directly).</summary>
    public static ModelState WithApproval(ModelState state, Func<ApprovalRecord, ApprovalRecord> change) =>
        state with { Approval = change(state.Approval!) };
}
