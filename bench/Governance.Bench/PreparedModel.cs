using Governance.Grains.Wire;

namespace Governance.Bench;

/// <summary>A model trained and submitted (required_approvers 2), with both approvers' signatures computed ahead.</summary>
public sealed record PreparedModel(
    string ModelId, string WeightsHash, string ApprovalId, SignatureRequest First, SignatureRequest Second);
