using Governance.Runtime.Storage;

namespace Governance.Runtime.Activation;

/// <summary>The runtime services one activation uses.</summary>
internal sealed record GrainContext(GrainId Id, IGrainStorage Storage);
