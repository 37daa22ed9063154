using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Canonical;
using Governance.Grains.Wire;

namespace Governance.Grains.Ledger;

/// <summary>
/// The evidence hash chain. Entry = <c>{model_id, seq, event, actor, at, data, prev_hash}</c>;
/// <c>entry_hash = hex(SHA-256(prev_hash bytes || canonical JSON of the entry))</c>; the first
/// entry's <c>prev_hash</c> is 64 zeros. Anyone can recompute a chain from the API's entries alone.
/// </summary>
public static class LedgerChain
{
    public static readonly string GenesisHash = new('0', 64);

    private const string EntryHashField = "entry_hash";

    public static LedgerLink CreateLink(
        string chainId, long seq, string eventName, string actor, DateTimeOffset at, JsonObject data, string prevHash)
    {
        var entry = new JsonObject
        {
            ["model_id"] = chainId,
            ["seq"] = seq,
            ["event"] = eventName,
            ["actor"] = actor,
            ["at"] = Rfc3339.Milliseconds(at),
            ["data"] = data,
            ["prev_hash"] = prevHash,
        };
        var canonical = CanonicalJson.Serialize(entry);
        return new LedgerLink(seq, canonical, ComputeHash(prevHash, canonical));
    }

    public static string ComputeHash(string prevHash, string canonicalEntry)
    {
        var prevBytes = Convert.FromHexString(prevHash);
        var entryBytes = Encoding.UTF8.GetBytes(canonicalEntry);
        var input = new byte[prevBytes.Length + entryBytes.Length];
        prevBytes.CopyTo(input, 0);
        entryBytes.CopyTo(input, prevBytes.Length);
        return Convert.ToHexStringLower(SHA256.HashData(input));
    }

    /// <summary>The entry as the API returns it: the stored fields plus <c>entry_hash</c>.</summary>
    public static JsonElement ToApiEntry(string entryJson, string entryHash)
    {
        var node = JsonNode.Parse(entryJson)!.AsObject();
        node[EntryHashField] = entryHash;
        return JsonSerializer.SerializeToElement(node, GovernanceJsonContext.Default.JsonNode);
    }

    /// <summary>
    /// Recomputes a chain from API entries (oldest first, each with <c>entry_hash</c>) and compares its
    /// end with the head the grain stored, so modified, deleted, reordered and truncated entries are
    /// all detected. Without an expected head, only the entries themselves are checked.
    /// </summary>
    public static ChainVerification Verify(
        string chainId, IReadOnlyList<JsonElement> entries, long? expectedSeq = null, string? expectedHead = null)
    {
        var prevHash = GenesisHash;
        for (var index = 0; index < entries.Count; index++)
        {
            var expected = index + 1L;
            if (!IsValidLink(chainId, entries[index], expected, prevHash, out var entryHash))
            {
                return new ChainVerification(false, entries.Count, prevHash, expected);
            }

            prevHash = entryHash;
        }

        var count = (long)entries.Count;
        if (expectedSeq is { } seq && (seq != count || !string.Equals(expectedHead, prevHash, StringComparison.Ordinal)))
        {
            // Entries are missing at the end (or the stored head was altered): the first missing seq is invalid.
            return new ChainVerification(false, count, prevHash, Math.Min(seq, count) + 1);
        }

        return new ChainVerification(true, count, prevHash, null);
    }

    private static bool IsValidLink(string chainId, JsonElement entry, long expectedSeq, string prevHash, out string entryHash)
    {
        entryHash = "";
        try
        {
            var node = JsonNode.Parse(entry.GetRawText())!.AsObject();
            if (node[EntryHashField]?.GetValue<string>() is not { } claimed
                || node["model_id"]?.GetValue<string>() != chainId
                || node["seq"]?.GetValue<long>() != expectedSeq
                || node["prev_hash"]?.GetValue<string>() != prevHash)
            {
                return false;
            }

            node.Remove(EntryHashField);
            var recomputed = ComputeHash(prevHash, CanonicalJson.Serialize(node));
            entryHash = recomputed;
            return string.Equals(recomputed, claimed, StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            return false;
        }
    }
}
