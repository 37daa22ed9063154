using Governance.Storage;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Canonical;
using Governance.Grains.Evidence;
using Governance.Grains.Ledger;
using Governance.Grains.Tests.Models;
using Governance.Grains.Wire;
using static Governance.Grains.Tests.Models.TestModels;

namespace Governance.Grains.Tests.Ledger;

/// <summary>The evidence hash chain (DESIGN §5.5, §5.7): format, hash formula and tamper detection.</summary>
[Trait("Category", "Unit")]
public class LedgerChainTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private static readonly string Zeros = new('0', 64);

    [Fact]
    public void Genesis_prev_hash_is_64_zeros_and_seq_starts_at_1()
    {
        var chain = Chain(5);

        Assert.Equal(Zeros, LedgerChain.GenesisHash);
        Assert.Equal(Zeros, chain[0].GetProperty("prev_hash").GetString());
        Assert.Equal([1L, 2, 3, 4, 5], chain.Select(e => e.GetProperty("seq").GetInt64()));
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Equal(chain[i - 1].GetProperty("entry_hash").GetString(), chain[i].GetProperty("prev_hash").GetString());
        }
    }

    [Fact]
    public void The_entry_hash_is_sha256_of_the_raw_prev_hash_bytes_then_the_canonical_entry()
    {
        var data = new JsonObject
        {
            ["weights_hash"] = WeightsHash,
            ["metrics"] = new JsonObject { ["b"] = 1, ["a"] = 0.5 },
            ["correlation_id"] = null,
        };

        var first = LedgerChain.CreateLink(ModelId, 1, "training_completed", Trainer, At, data, LedgerChain.GenesisHash);
        var second = LedgerChain.CreateLink(ModelId, 2, "approval_revoked", Revoker, At, new JsonObject { ["reason"] = "x" }, first.EntryHash);

        var firstText = "{\"actor\":\"tina\",\"at\":\"2026-01-02T03:04:05.678Z\","
            + "\"data\":{\"correlation_id\":null,\"metrics\":{\"a\":0.5,\"b\":1},\"weights_hash\":\"" + WeightsHash + "\"},"
            + "\"event\":\"training_completed\",\"model_id\":\"fraud-scorer\",\"prev_hash\":\"" + Zeros + "\",\"seq\":1}";
        Assert.Equal(firstText, first.EntryJson);
        Assert.Equal(Sha256Hex(new byte[32], firstText), first.EntryHash);

        var secondText = "{\"actor\":\"ada\",\"at\":\"2026-01-02T03:04:05.678Z\",\"data\":{\"reason\":\"x\"},"
            + "\"event\":\"approval_revoked\",\"model_id\":\"fraud-scorer\",\"prev_hash\":\"" + first.EntryHash + "\",\"seq\":2}";
        Assert.Equal(secondText, second.EntryJson);
        Assert.Equal(Sha256Hex(Convert.FromHexString(first.EntryHash), secondText), second.EntryHash);
    }

    [Fact]
    public void A_chain_built_by_evidence_append_verifies_also_across_appends()
    {
        var events = Events(5);
        var firstPart = EvidenceAppend.Create(ModelId, 0, LedgerChain.GenesisHash, [.. events.Take(2)], At);
        var secondPart = EvidenceAppend.Create(ModelId, firstPart.Seq, firstPart.Head, [.. events.Skip(2)], At.AddSeconds(1));
        var entries = firstPart.Records.Concat(secondPart.Records).Select(r => LedgerChain.ToApiEntry(r.EntryJson, r.EntryHash)).ToList();

        var result = LedgerChain.Verify(ModelId, entries, secondPart.Seq, secondPart.Head);

        Assert.Equal(new ChainVerification(true, 5, secondPart.Head, null), result);
        Assert.Equal(5, secondPart.Seq);
    }

    [Fact]
    public void An_entry_of_another_chain_is_invalid()
    {
        var result = LedgerChain.Verify("other-model", Chain(2));

        Assert.False(result.Valid);
        Assert.Equal(1, result.FirstInvalidSeq);
    }

    public static TheoryData<string, long> Tampering => new()
    {
        { "data of seq 3 modified", 3 },
        { "entry_hash of seq 3 modified", 3 },
        { "seq 3 deleted", 3 },
        { "seq 2 and 3 reordered", 2 },
        { "seq 3 deleted and later entries renumbered", 3 },
        { "last entry truncated", 5 },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public void Tampering_is_detected_at_the_first_invalid_seq(string tampering, long firstInvalidSeq)
    {
        var chain = Chain(5);
        var head = chain[^1].GetProperty("entry_hash").GetString()!;

        var result = LedgerChain.Verify(ModelId, Tamper(chain, tampering), 5, head);

        Assert.False(result.Valid);
        Assert.Equal(firstInvalidSeq, result.FirstInvalidSeq);
    }

    [Fact]
    public void A_truncated_chain_is_only_detectable_against_the_stored_head()
    {
        var chain = Chain(5);
        var head = chain[^1].GetProperty("entry_hash").GetString()!;
        var truncated = Tamper(chain, "last entry truncated");

        Assert.True(LedgerChain.Verify(ModelId, truncated).Valid);
        Assert.Equal(new ChainVerification(false, 4, chain[3].GetProperty("entry_hash").GetString()!, 5), LedgerChain.Verify(ModelId, truncated, 5, head));
    }

    [Fact]
    public void A_consistently_recomputed_chain_is_detected_through_the_stored_head()
    {
        var chain = Chain(5);
        var head = chain[^1].GetProperty("entry_hash").GetString()!;
        var forged = Rehash(Tamper(chain, "data of seq 3 modified"));

        Assert.True(LedgerChain.Verify(ModelId, forged).Valid);
        Assert.False(LedgerChain.Verify(ModelId, forged, 5, head).Valid);
    }

    [Fact]
    public void An_untampered_chain_is_valid()
    {
        var chain = Chain(5);
        var head = chain[^1].GetProperty("entry_hash").GetString()!;

        Assert.Equal(new ChainVerification(true, 5, head, null), LedgerChain.Verify(ModelId, chain, 5, head));
        Assert.Equal(new ChainVerification(true, 0, Zeros, null), LedgerChain.Verify(ModelId, [], 0, Zeros));
    }

    [Fact]
    public async Task The_grain_chain_is_valid_recomputable_and_ends_at_the_stored_head()
    {
        await using var runtime = await SevenEntryRuntimeAsync();

        var verification = await runtime.Model().VerifyEvidence();
        var entries = await runtime.EvidenceAsync();
        var model = await runtime.Model().GetModel();

        Assert.Equal(new ChainVerification(true, 7, model.EvidenceHead, null), verification);
        Assert.Equal(7, model.EvidenceSeq);
        Assert.Equal(
            [LedgerEvents.TrainingCompleted, LedgerEvents.PolicyEvaluated, LedgerEvents.ApprovalSubmitted, LedgerEvents.SignatureAdded,
             LedgerEvents.SignatureAdded, LedgerEvents.QuorumReached, LedgerEvents.ModelDeployed],
            entries.Select(e => e.GetProperty("event").GetString()));
        var prev = Zeros;
        foreach (var entry in entries)
        {
            var node = JsonNode.Parse(entry.GetRawText())!.AsObject();
            var claimed = node["entry_hash"]!.GetValue<string>();
            node.Remove("entry_hash");
            Assert.Equal(prev, node["prev_hash"]!.GetValue<string>());
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", node["at"]!.GetValue<string>());
            Assert.Equal(Sha256Hex(Convert.FromHexString(prev), CanonicalJson.Serialize(node)), claimed);
            prev = claimed;
        }

        Assert.Equal(model.EvidenceHead, prev);
    }

    public static TheoryData<string, long> StoredTampering => new()
    {
        { "data of seq 3 modified", 3 },
        { "entry_hash of seq 3 modified", 3 },
        { "seq 4 deleted", 4 },
        { "seq 3 and 4 reordered", 3 },
        { "last entry truncated", 7 },
    };

    [Theory]
    [MemberData(nameof(StoredTampering))]
    public async Task Tampering_with_the_stored_ledger_is_detected_by_the_grain(string tampering, long firstInvalidSeq)
    {
        await using var runtime = await SevenEntryRuntimeAsync();

        runtime.TamperLedger(ModelId, rows => TamperStored(rows, tampering));
        var verification = await runtime.Model().VerifyEvidence();

        Assert.False(verification.Valid);
        Assert.Equal(firstInvalidSeq, verification.FirstInvalidSeq);
    }

    [Fact]
    public async Task Key_events_go_to_the_keys_pseudo_model_chain()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.RegisterKeyAsync(Alice);

        var keys = runtime.Grains.GetGrain<IApproverKeysGrain>(Alice);
        var entry = Assert.Single((await keys.GetEvidence(0, 10)).Entries);

        Assert.Equal("_keys:alice", entry.GetProperty("model_id").GetString());
        Assert.Equal(LedgerEvents.KeyRegistered, entry.GetProperty("event").GetString());
        Assert.Equal(Alice, entry.GetProperty("data").GetProperty("principal").GetString());
        Assert.Equal(KeyId, entry.GetProperty("data").GetProperty("key_id").GetString());
        Assert.True((await keys.VerifyEvidence()).Valid);
    }

    /// <summary>Training, submission (2 entries), two signatures with quorum (3 entries), one deployment: 7 entries.</summary>
    private static async Task<GovernanceTestRuntime> SevenEntryRuntimeAsync()
    {
        var runtime = await GovernanceTestRuntime.StartAsync();
        var approval = await runtime.TrainAndSubmitAsync();
        await runtime.SignAsync(Alice);
        await runtime.SignAsync(Bob);
        await runtime.Model().Deploy(As(Deployer), Deployment(approvalId: approval.ApprovalId));
        return runtime;
    }

    private static List<EvidenceEvent> Events(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new EvidenceEvent(
            LedgerEvents.SignatureAdded, $"approver-{i}", new JsonObject { ["approval_id"] = FirstApprovalId, ["principal"] = $"approver-{i}", ["key_id"] = KeyId }))];

    private static List<JsonElement> Chain(int count) =>
        [.. EvidenceAppend.Create(ModelId, 0, LedgerChain.GenesisHash, Events(count), At).Records
            .Select(r => LedgerChain.ToApiEntry(r.EntryJson, r.EntryHash))];

    private static List<JsonElement> Tamper(List<JsonElement> chain, string tampering)
    {
        var entries = new List<JsonElement>(chain);
        switch (tampering)
        {
            case "data of seq 3 modified":
                entries[2] = Rewrite(entries[2], node => node["data"]!["principal"] = "mallory");
                break;
            case "entry_hash of seq 3 modified":
                entries[2] = Rewrite(entries[2], node => node["entry_hash"] = new string('f', 64));
                break;
            case "seq 3 deleted":
                entries.RemoveAt(2);
                break;
            case "seq 2 and 3 reordered":
                (entries[1], entries[2]) = (entries[2], entries[1]);
                break;
            case "seq 3 deleted and later entries renumbered":
                entries.RemoveAt(2);
                for (var i = 2; i < entries.Count; i++)
                {
                    var seq = i + 1;
                    entries[i] = Rewrite(entries[i], node => node["seq"] = seq);
                }

                break;
            case "last entry truncated":
                entries.RemoveAt(entries.Count - 1);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tampering));
        }

        return entries;
    }

    private static List<LedgerRecord> TamperStored(List<LedgerRecord> rows, string tampering)
    {
        switch (tampering)
        {
            case "data of seq 3 modified":
                var node = JsonNode.Parse(rows[2].EntryJson)!.AsObject();
                node["data"]!["required_approvers"] = 1;
                rows[2] = rows[2] with { EntryJson = CanonicalJson.Serialize(node) };
                break;
            case "entry_hash of seq 3 modified":
                rows[2] = rows[2] with { EntryHash = new string('f', 64) };
                break;
            case "seq 4 deleted":
                rows.RemoveAt(3);
                break;
            case "seq 3 and 4 reordered":
                (rows[2], rows[3]) = (rows[3], rows[2]);
                break;
            case "last entry truncated":
                rows.RemoveAt(rows.Count - 1);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tampering));
        }

        return rows;
    }

    /// <summary>What a forger with the formula does: recompute every prev_hash and entry_hash.</summary>
    private static List<JsonElement> Rehash(List<JsonElement> chain)
    {
        var prev = LedgerChain.GenesisHash;
        var result = new List<JsonElement>();
        foreach (var entry in chain)
        {
            var node = JsonNode.Parse(entry.GetRawText())!.AsObject();
            node.Remove("entry_hash");
            node["prev_hash"] = prev;
            var canonical = CanonicalJson.Serialize(node);
            prev = Sha256Hex(Convert.FromHexString(prev), canonical);
            result.Add(LedgerChain.ToApiEntry(canonical, prev));
        }

        return result;
    }

    private static JsonElement Rewrite(JsonElement entry, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(entry.GetRawText())!.AsObject();
        change(node);
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    private static string Sha256Hex(byte[] prevHash, string canonicalEntry) =>
        Convert.ToHexStringLower(SHA256.HashData([.. prevHash, .. Encoding.UTF8.GetBytes(canonicalEntry)]));
}
