namespace Governance.Runtime.Storage;

/// <summary>One row of a state listing: the key and its projection.</summary>
public sealed record GrainListing(string Key, string? Label, DateTimeOffset? Deadline, string StateJson);
