namespace Governance.Runtime.Storage;

/// <summary>The stored state changed since it was read: the write was not applied.</summary>
public sealed class ETagConflictException(GrainId grain, long expectedETag)
    : Exception($"State of {grain} changed since ETag {expectedETag} was read.")
{
    public GrainId Grain { get; } = grain;

    public long ExpectedETag { get; } = expectedETag;
}
