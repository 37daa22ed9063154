namespace Governance.Grains.Models;

/// <summary>A registered approver key as a signature check needs it.</summary>
public sealed record ApproverKey(string Principal, string KeyId, byte[] PublicKey, bool Revoked);
