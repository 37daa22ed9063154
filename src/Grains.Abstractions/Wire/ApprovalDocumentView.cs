namespace Governance.Grains.Wire;

/// <summary>
/// What approvers sign: the canonical JSON text of the approval document, and the exact bytes to
/// sign (the domain prefix and the document) in base64.
/// </summary>
public sealed record ApprovalDocumentView(string ApprovalId, string Document, string SigningInput);
