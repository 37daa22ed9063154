using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Governance.Canonical;
using Governance.Crypto;
using Governance.Grains.Models;
using Governance.Grains.Wire;
using static Governance.Grains.Tests.Models.TestModels;

namespace Governance.Grains.Tests.Models;

/// <summary>The canonical approval document and its signing input (DESIGN §5.3).</summary>
[Trait("Category", "Unit")]
public partial class ApprovalDocumentTests
{
    private static readonly string[] DocumentFields =
    [
        "approval_id", "model_id", "weights_hash", "trained_by", "submitted_by", "submitted_at",
        "expires_at", "profile", "correlation_id", "approved_environments", "approved_scopes", "required_approvers",
    ];

    [Fact]
    public void The_document_is_exactly_the_canonical_json_of_the_signed_fields()
    {
        var document = Document(Submitted());

        Assert.Equal(
            "{\"approval_id\":\"appr-1\",\"approved_environments\":[\"production\",\"staging\"],\"approved_scopes\":null,"
            + "\"correlation_id\":null,\"expires_at\":\"2026-02-01T03:05:05Z\",\"model_id\":\"fraud-scorer\",\"profile\":\"default\","
            + "\"required_approvers\":2,\"submitted_at\":\"2026-01-02T03:05:05Z\",\"submitted_by\":\"sam\",\"trained_by\":\"tina\","
            + "\"weights_hash\":\"" + WeightsHash + "\"}",
            document);
    }

    [Fact]
    public void The_document_has_every_field_with_nulls_present_and_sorted_keys()
    {
        var document = Document(Submitted());

        using var parsed = JsonDocument.Parse(document);
        var names = parsed.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(DocumentFields.Order(StringComparer.Ordinal), names);
        Assert.Equal(JsonValueKind.Null, parsed.RootElement.GetProperty("correlation_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, parsed.RootElement.GetProperty("approved_scopes").ValueKind);
        Assert.Equal(document, CanonicalJson.Serialize(parsed.RootElement));
    }

    [Fact]
    public void Environments_and_scopes_are_sorted_and_unique_and_times_whole_seconds()
    {
        var request = Submission() with
        {
            ApprovedEnvironments = ["staging", "production", "staging"],
            ApprovedScopes = ["us", "eu", "us", "apac"],
        };
        var trained = Commit(ModelStateMachine.RecordTraining(NoModel(), As(Trainer), Training(correlationId: "run-7"), T0), T0);
        var state = ModelStateMachine.Submit(trained, As(Submitter), request, Policies, FirstApprovalId, SubmitTime).State;

        using var parsed = JsonDocument.Parse(Document(state));
        var root = parsed.RootElement;
        Assert.Equal(["production", "staging"], Strings(root.GetProperty("approved_environments")));
        Assert.Equal(["apac", "eu", "us"], Strings(root.GetProperty("approved_scopes")));
        Assert.Equal("run-7", root.GetProperty("correlation_id").GetString());
        Assert.Matches(SecondPrecisionUtc(), root.GetProperty("submitted_at").GetString());
        Assert.Matches(SecondPrecisionUtc(), root.GetProperty("expires_at").GetString());
        Assert.Equal("2026-01-02T03:05:05Z", root.GetProperty("submitted_at").GetString());
    }

    [Fact]
    public void The_signing_input_is_the_domain_prefix_followed_by_the_document()
    {
        var document = Document(Submitted());

        var input = ApprovalDocument.SigningInput(document);

        Assert.Equal(Encoding.UTF8.GetBytes("model-governance/approval/v1\n" + document), input);
    }

    [Fact]
    public void A_signature_over_the_signing_input_verifies_when_added()
    {
        var state = Submitted();
        var document = Document(state);
        var signature = Ed25519.Sign(KeyPair(Carol).Seed, Encoding.UTF8.GetBytes("model-governance/approval/v1\n" + document));

        var transition = ModelStateMachine.AddSignature(
            state, As(Carol), new SignatureRequest(FirstApprovalId, KeyId, Convert.ToBase64String(signature)), Key(Carol), Now);

        var stored = Assert.Single(transition.State.Approval!.Signatures);
        Assert.Equal(new SignatureRecord(Carol, KeyId, Convert.ToBase64String(signature), Now), stored);
    }

    [Fact]
    public void A_signature_over_the_document_without_the_prefix_is_signature_invalid()
    {
        var state = Submitted();
        var signature = Ed25519.Sign(KeyPair(Carol).Seed, Encoding.UTF8.GetBytes(Document(state)));

        var refusal = Assert.Throws<GovernanceException>(() => ModelStateMachine.AddSignature(
            state, As(Carol), new SignatureRequest(FirstApprovalId, KeyId, Convert.ToBase64String(signature)), Key(Carol), Now));

        Assert.Equal(ErrorCodes.SignatureInvalid, refusal.Code);
    }

    [Fact]
    public void A_signature_over_a_superseded_approval_does_not_verify_for_its_successor()
    {
        var old = Submitted();
        var oldSignature = Sign(old, Carol);
        var successor = ModelStateMachine.Submit(
            old, As(Submitter), Submission() with { Supersede = true }, Policies, SecondApprovalId, Now).State;

        var refusal = Assert.Throws<GovernanceException>(() => ModelStateMachine.AddSignature(
            successor, As(Carol), new SignatureRequest(SecondApprovalId, KeyId, oldSignature), Key(Carol), Now));

        Assert.Equal(ErrorCodes.SignatureInvalid, refusal.Code);
    }

    [Fact]
    public void The_document_stays_the_same_after_the_approval_ends()
    {
        var deployed = TestModels.Deployed();

        var revoked = ModelStateMachine.Revoke(deployed, As(Revoker), new RevocationRequest("done"), Now).State;

        Assert.Equal(Document(deployed), Document(revoked));
        Assert.Equal(Document(Submitted()), Document(revoked));
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex SecondPrecisionUtc();
}
