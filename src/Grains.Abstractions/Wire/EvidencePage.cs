using System.Text.Json;

namespace Governance.Grains.Wire;

/// <summary>Ledger entries oldest first, each with its <c>entry_hash</c>.</summary>
public sealed record EvidencePage(IReadOnlyList<JsonElement> Entries, string? NextPageToken);
