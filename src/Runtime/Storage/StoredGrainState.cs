namespace Governance.Runtime.Storage;

/// <summary>A grain's persisted state as JSON and the ETag it was stored with.</summary>
public sealed record StoredGrainState(string Json, long ETag);
