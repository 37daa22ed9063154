using Governance.Grains.Models;
using Governance.Storage;

namespace Governance.Grains.Tests.Models;

/// <summary>
/// The stored JSON of a model state reads back and writes back byte for byte as before, while the
/// loaded state shares its repeated and vocabulary strings.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ModelStateStorageTests
{
    /// <summary>A state row as the build before string sharing wrote it.</summary>
    private const string StoredJson =
        """{"schema_version":1,"model_id":"fraud-scorer","training":{"weights_hash":"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","metrics":{"accuracy":0.95,"harmful_rate":0.001},"card":{"owner":"risk-team"},"correlation_id":"run-7","metadata":null,"trained_by":"tina","recorded_at":"2026-01-02T03:04:05.678+00:00","evidence_seq":1},"approval":{"approval_id":"appr-1","weights_hash":"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","trained_by":"tina","submitted_by":"sam","submitted_at":"2026-01-02T03:05:05+00:00","expires_at":"2026-02-01T03:05:05+00:00","profile":"default","correlation_id":"run-7","environments":["staging","production"],"scopes":null,"required_approvers":2,"status":"deployed","signatures":[{"principal":"alice","key_id":"k1","signature":"c2ln","signed_at":"2026-01-02T03:06:05.1+00:00"},{"principal":"bob","key_id":"k1","signature":"c2ln","signed_at":"2026-01-02T03:07:05+00:00"}],"deployments":[{"environment":"production","scope":"eu","deployed_by":"dave","deployed_at":"2026-01-02T03:08:05+00:00","evidence_seq":6}],"quorum_reached_at":"2026-01-02T03:07:05+00:00","revocation":null},"ledger_seq":6,"ledger_head":"5d41402abc4b2a76b9719d911017c592","latest_drift":null,"drift_observations":0,"exists":true}""";

    [Fact]
    public void A_stored_state_reads_and_writes_back_unchanged()
    {
        var state = Load(StoredJson);

        Assert.Equal(StoredJson, state.SerializeValue(GrainStateJsonContext.Default.Options));
        var approval = state.Value!.Approval!;
        Assert.Equal(ApprovalStatus.Deployed, approval.Status);
        Assert.Equal(["staging", "production"], approval.Environments);
        Assert.Equal("bob", approval.Signatures[1].Principal);
        Assert.Equal("eu", approval.Deployments[0].Scope);
        Assert.Equal(0.001, state.Value.Training!.Metrics["harmful_rate"]);
    }

    [Fact]
    public void Values_repeated_within_a_state_are_held_once()
    {
        var model = Load(StoredJson).Value!;

        Assert.Same(model.Training!.WeightsHash, model.Approval!.WeightsHash);
        Assert.Same(model.Training.CorrelationId, model.Approval.CorrelationId);
    }

    [Fact]
    public void Vocabulary_is_shared_between_states()
    {
        var first = Load(StoredJson).Value!;
        var second = Load(StoredJson).Value!;

        Assert.Same(first.Approval!.Status, second.Approval!.Status);
        Assert.Same(first.Approval.TrainedBy, second.Training!.TrainedBy);
        Assert.Same(first.Approval.Environments[1], second.Approval.Deployments[0].Environment);
        Assert.Same(first.Training!.Metrics.Keys.First(), second.Training.Metrics.Keys.First());
        Assert.NotSame(first.Approval.ApprovalId, second.Approval.ApprovalId);
    }

    private static EvidencedState<ModelState> Load(string json)
    {
        var state = new EvidencedState<ModelState>();
        state.LoadValue(json, GrainStateJsonContext.Default.Options);
        return state;
    }
}
