using System.Text.Json;

namespace Governance.Storage;

/// <summary>Options of the <c>governance</c> grain storage (PostgreSQL and memory alike).</summary>
public sealed class GovernanceStorageOptions
{
    /// <summary>
    /// Serializes the state values (<see cref="IEvidencedState.SerializeValue"/> and
    /// <see cref="IEvidencedState.LoadValue"/>). The host supplies its <c>TypeInfoResolver</c>, e.g.
    /// the grains' source-generated <c>JsonSerializerContext</c>; without one, reflection-based
    /// serialization applies. The storage makes the options read-only when it is created.
    /// </summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = new(JsonSerializerDefaults.General);
}
