using System.Text.Json;
using Governance.Grains.Wire;
using Governance.Storage.Streams;

namespace Governance.Grains.Drift;

/// <summary>The stored text of a drift observation on the PostgreSQL stream: its wire JSON, as the gateway posted it.</summary>
public sealed class DriftObservationCodec : IStreamPayloadCodec
{
    public string Encode(object item) => item is DriftObservation observation
        ? JsonSerializer.Serialize(observation, GovernanceJsonContext.Default.DriftObservation)
        : throw new ArgumentException($"The drift stream carries drift observations, not {item.GetType().Name}.", nameof(item));

    public object Decode(string payload) =>
        JsonSerializer.Deserialize(payload, GovernanceJsonContext.Default.DriftObservation)
        ?? throw new JsonException("A drift event's payload is null.");
}
