using System.Text;
using System.Text.Json.Nodes;
using Governance.Canonical;

namespace Governance.Grains.Models;

/// <summary>The canonical approval document approvers sign, and its signing input (DESIGN §5.3).</summary>
public static class ApprovalDocument
{
    public const string SigningPrefix = "model-governance/approval/v1\n";

    public static string Canonical(string modelId, ApprovalRecord approval)
    {
        var document = new JsonObject
        {
            ["approval_id"] = approval.ApprovalId,
            ["model_id"] = modelId,
            ["weights_hash"] = approval.WeightsHash,
            ["trained_by"] = approval.TrainedBy,
            ["submitted_by"] = approval.SubmittedBy,
            ["submitted_at"] = Rfc3339.Seconds(approval.SubmittedAt),
            ["expires_at"] = Rfc3339.Seconds(approval.ExpiresAt),
            ["profile"] = approval.Profile,
            ["correlation_id"] = approval.CorrelationId,
            ["approved_environments"] = ToArray(approval.Environments),
            ["approved_scopes"] = approval.Scopes is null ? null : ToArray(approval.Scopes),
            ["required_approvers"] = approval.RequiredApprovers,
        };
        return CanonicalJson.Serialize(document);
    }

    public static byte[] SigningInput(string canonicalDocument) =>
        Encoding.UTF8.GetBytes(SigningPrefix + canonicalDocument);

    private static JsonArray ToArray(IReadOnlyList<string> values) => new([.. values.Select(v => JsonValue.Create(v))]);
}
