using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Governance.Crypto;
using Governance.Grains.Evidence;
using Governance.Grains.Ledger;
using Governance.Grains.Wire;
using Governance.Runtime;

namespace Governance.Grains.Keys;

/// <summary>
/// The Ed25519 keys of one approver. Key ids are unique per principal forever; registering and
/// revoking are recorded in the chain <c>_keys:{principal}</c>.
/// </summary>
[GrainType("approver-keys")]
public sealed class ApproverKeysGrain(TimeProvider clock) : Grain<KeyRingState>, IApproverKeysGrain
{
    private string ChainId => Identifiers.KeyChainId(GrainKey);

    protected override JsonTypeInfo<KeyRingState> StateTypeInfo => GrainStateJsonContext.Default.KeyRingState;

    protected override KeyRingState CreateEmptyState() =>
        new(KeyRingState.CurrentSchemaVersion, GrainKey, new Dictionary<string, ApproverKeyRecord>(StringComparer.Ordinal), 0, LedgerChain.GenesisHash);

    public async Task<KeyRegistrationResult> RegisterKey(Caller caller, string keyId, KeyRegistrationRequest request)
    {
        RequireKeyId(keyId);
        var publicKey = request.PublicKey;
        var bytes = new byte[Ed25519.PublicKeySize + 3];
        if (publicKey is null || !Convert.TryFromBase64String(publicKey, bytes, out var written) || written != Ed25519.PublicKeySize)
        {
            throw GovernanceException.Invalid("public_key", "public_key must be base64 of a 32-byte Ed25519 public key.");
        }

        if (State.Keys.TryGetValue(keyId, out var existing))
        {
            return existing.PublicKey == publicKey && existing.RevokedAt is null
                ? new KeyRegistrationResult(View(keyId, existing), Created: false)
                : throw new GovernanceException(ErrorCodes.KeyExists, $"Key id '{keyId}' of {GrainKey} is already used{(existing.RevokedAt is null ? " by another key" : " and was revoked")}.", "key_id");
        }

        var now = clock.GetUtcNow();
        var record = new ApproverKeyRecord(publicKey, caller.Principal, now, null, null);
        await CommitAsync(keyId, record, LedgerEvents.KeyRegistered, caller, now);
        return new KeyRegistrationResult(View(keyId, record), Created: true);
    }

    public async Task<KeyView> RevokeKey(Caller caller, string keyId)
    {
        RequireKeyId(keyId);
        if (!State.Keys.TryGetValue(keyId, out var existing))
        {
            throw new GovernanceException(ErrorCodes.NotFound, $"Key '{keyId}' of {GrainKey} is not registered.", "key_id");
        }

        if (existing.RevokedAt is not null)
        {
            return View(keyId, existing);
        }

        var now = clock.GetUtcNow();
        var record = existing with { RevokedBy = caller.Principal, RevokedAt = now };
        await CommitAsync(keyId, record, LedgerEvents.KeyRevoked, caller, now);
        return View(keyId, record);
    }

    public Task<KeyView?> GetKey(string keyId) =>
        Task.FromResult(State.Keys.TryGetValue(keyId, out var record) ? View(keyId, record) : null);

    public Task<EvidencePage> GetEvidence(long afterSeq, int limit)
    {
        RequireAnyKey();
        return EvidenceQueries.PageAsync((after, count) => ReadLedgerAsync(ChainId, after, count), afterSeq, limit);
    }

    public Task<ChainVerification> VerifyEvidence()
    {
        RequireAnyKey();
        return EvidenceQueries.VerifyAsync(ChainId, (after, count) => ReadLedgerAsync(ChainId, after, count), State.LedgerSeq, State.LedgerHead);
    }

    private async Task CommitAsync(string keyId, ApproverKeyRecord record, string eventName, Caller caller, DateTimeOffset now)
    {
        var state = State;
        var evidence = new EvidenceEvent(eventName, caller.Principal, new JsonObject { ["principal"] = GrainKey, ["key_id"] = keyId });
        var append = EvidenceAppend.Create(ChainId, state.LedgerSeq, state.LedgerHead, [evidence], now);
        var keys = new Dictionary<string, ApproverKeyRecord>(state.Keys, StringComparer.Ordinal) { [keyId] = record };
        await WriteStateAsync(state with { Keys = keys, LedgerSeq = append.Seq, LedgerHead = append.Head }, append.Records, []);
    }

    private void RequireAnyKey()
    {
        if (!HasStoredState)
        {
            throw new GovernanceException(ErrorCodes.NotFound, $"{GrainKey} has no registered keys.");
        }
    }

    private static void RequireKeyId(string keyId)
    {
        if (!Identifiers.IsValidId(keyId))
        {
            throw GovernanceException.Invalid("key_id", "key_id must be 1–128 characters of [A-Za-z0-9._:-].");
        }
    }

    private KeyView View(string keyId, ApproverKeyRecord record) => new(
        GrainKey, keyId, record.PublicKey, Rfc3339.Milliseconds(record.RegisteredAt),
        record.RevokedAt is { } revokedAt ? Rfc3339.Milliseconds(revokedAt) : null);
}
