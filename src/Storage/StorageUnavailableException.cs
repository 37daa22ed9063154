namespace Governance.Storage;

/// <summary>The store could not be reached or failed; nothing was acknowledged.</summary>
public sealed class StorageUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
