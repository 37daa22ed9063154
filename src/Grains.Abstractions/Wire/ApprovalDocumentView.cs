namespace Governance.Grains.Wire;

/// <summary>
/// What approvers sign: the canonical JSON text of the approval document, and the exact bytes to
/// sign (the domain prefix and the document) in base64.
/// </summary>
[GenerateSerializer, Immutable, Alias("gov.ApprovalDocumentView")]
public sealed record ApprovalDocumentView([property: Id(0)] string ApprovalId, [property: Id(1)] string Document, [property: Id(2)] string SigningInput);
