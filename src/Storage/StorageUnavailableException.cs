namespace Governance.Storage;

/// <summary>The store could not be reached or failed; nothing was acknowledged.</summary>
/// <remarks>
/// An <see cref="OrleansException"/>, so Orleans' <c>IPersistentState</c> rethrows it to the grain as
/// it is (it wraps any other exception of a storage provider in a plain <see cref="OrleansException"/>).
/// </remarks>
public sealed class StorageUnavailableException(string message, Exception? innerException = null)
    : OrleansException(message, innerException!);
