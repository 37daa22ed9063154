namespace Governance.Storage;

/// <summary>A keyset-paged listing of one grain type's stored states, ordered by key (code point order).</summary>
/// <param name="GrainType">The Orleans grain type, e.g. <c>model</c>.</param>
/// <param name="Label">Only rows with this label, when given.</param>
/// <param name="DeadlineBefore">Only rows whose deadline is at or before this instant, when given.</param>
/// <param name="AfterKey">Continue after this key (exclusive), when given.</param>
public sealed record GrainListingQuery(string GrainType, string? Label, DateTimeOffset? DeadlineBefore, string? AfterKey, int Limit);
