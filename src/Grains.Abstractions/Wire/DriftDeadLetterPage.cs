namespace Governance.Grains.Wire;

/// <summary>A page of set-aside drift observations, oldest first; <c>next_page_token</c> is null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("gov.DriftDeadLetterPage")]
public sealed record DriftDeadLetterPage([property: Id(0)] IReadOnlyList<DriftDeadLetter> Entries, [property: Id(1)] string? NextPageToken)
{
    /// <summary>The page of <paramref name="pageSize"/> from <paramref name="fetched"/>, which holds one more when another page follows.</summary>
    public static DriftDeadLetterPage Of(IReadOnlyList<DriftDeadLetter> fetched, int pageSize)
    {
        var entries = fetched.Take(pageSize).ToList();
        return new DriftDeadLetterPage(
            entries, fetched.Count > pageSize ? entries[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }
}
