namespace Governance.Gateway.OpenApi;

/// <summary>Endpoint metadata: the handler reads a required JSON body of this type itself.</summary>
internal sealed record JsonBodyMetadata(Type RequestType);
