namespace Governance.Grains.Models;

/// <summary>An approval's canonical document and its signing input, computed once per approval.</summary>
public sealed record SigningDocument(string ApprovalId, string Document, byte[] SigningInput)
{
    public static SigningDocument Of(string modelId, ApprovalRecord approval)
    {
        var document = ApprovalDocument.Canonical(modelId, approval);
        return new SigningDocument(approval.ApprovalId, document, ApprovalDocument.SigningInput(document));
    }
}
