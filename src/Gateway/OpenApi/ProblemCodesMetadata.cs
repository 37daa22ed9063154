namespace Governance.Gateway.OpenApi;

/// <summary>Endpoint metadata: refusal codes (DESIGN §5.7) the endpoint can answer with, as problem+json.</summary>
internal sealed record ProblemCodesMetadata(IReadOnlyList<string> Codes);
