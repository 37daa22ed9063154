using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Canonical;

namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>
/// Recomputes an evidence chain from the entries of the evidence endpoint alone (DESIGN §5.5):
/// <c>entry_hash = hex(SHA-256(prev_hash bytes || canonical JSON of the entry without entry_hash))</c>.
/// </summary>
public static class EvidenceChain
{
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>Checks every link of <paramref name="entries"/> and returns the head hash.</summary>
    public static string AssertValid(string chainId, IReadOnlyList<JsonElement> entries)
    {
        var prevHash = GenesisHash;
        for (var index = 0; index < entries.Count; index++)
        {
            var entry = JsonNode.Parse(entries[index].GetRawText())!.AsObject();
            Assert.Equal(chainId, entry["model_id"]!.GetValue<string>());
            Assert.Equal(index + 1L, entry["seq"]!.GetValue<long>());
            Assert.Equal(prevHash, entry["prev_hash"]!.GetValue<string>());
            var claimed = entry["entry_hash"]!.GetValue<string>();
            entry.Remove("entry_hash");

            var prevBytes = Convert.FromHexString(prevHash);
            var entryBytes = Encoding.UTF8.GetBytes(CanonicalJson.Serialize(entry));
            var recomputed = Convert.ToHexStringLower(SHA256.HashData([.. prevBytes, .. entryBytes]));
            Assert.True(recomputed == claimed, $"{chainId} seq {index + 1}: entry_hash {claimed} but the entry hashes to {recomputed}");
            prevHash = recomputed;
        }

        return prevHash;
    }
}
