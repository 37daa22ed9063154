using System.Text.Json;

namespace Governance.Grains.Wire;

/// <summary>Ledger entries oldest first, each with its <c>entry_hash</c>.</summary>
[GenerateSerializer, Immutable, Alias("gov.EvidencePage")]
public sealed record EvidencePage([property: Id(0)] IReadOnlyList<JsonElement> Entries, [property: Id(1)] string? NextPageToken);
