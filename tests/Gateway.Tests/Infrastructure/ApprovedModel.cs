namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>A trained model whose approval reached its quorum.</summary>
public sealed record ApprovedModel(string ModelId, string ApprovalId, string WeightsHash, string ExpiresAt);
