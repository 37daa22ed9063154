namespace Governance.Storage;

/// <summary>One row of a state listing: the grain key, its listing columns and its state JSON.</summary>
public sealed record GrainListing(string Key, string? Label, DateTimeOffset? Deadline, string StateJson);
