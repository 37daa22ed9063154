namespace Governance.Grains.Wire;

/// <summary>GET /v1/models/{id}: everything known about one model.</summary>
[GenerateSerializer, Immutable, Alias("gov.ModelView")]
public sealed record ModelView(
    [property: Id(0)] string ModelId,
    [property: Id(1)] string Status,
    [property: Id(2)] TrainingView? Training,
    [property: Id(3)] ApprovalView? Approval,
    [property: Id(4)] DriftView? LatestDrift,
    [property: Id(5)] long EvidenceSeq,
    [property: Id(6)] string EvidenceHead,
    [property: Id(7)] string Etag);
