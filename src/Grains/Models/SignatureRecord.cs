using System.Text.Json.Serialization;
using Governance.Storage.Serialization;

namespace Governance.Grains.Models;

/// <summary>A verified signature, stored once when it was added.</summary>
public sealed record SignatureRecord(
    [property: JsonConverter(typeof(VocabularyStringConverter))] string Principal,
    [property: JsonConverter(typeof(VocabularyStringConverter))] string KeyId,
    string Signature, DateTimeOffset SignedAt);
