namespace Governance.Grains.Wire;

/// <summary>GET /v1/models/{id}: everything known about one model.</summary>
public sealed record ModelView(
    string ModelId,
    string Status,
    TrainingView? Training,
    ApprovalView? Approval,
    DriftView? LatestDrift,
    long EvidenceSeq,
    string EvidenceHead,
    string Etag);
