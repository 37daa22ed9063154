using System.Text.Json;
using Governance.Storage.Streams;

namespace Governance.Storage.Tests.Streams;

/// <summary>Stores <see cref="TestDriftEvent"/>s as JSON, as the grains project stores its observations.</summary>
public sealed class TestDriftCodec : IStreamPayloadCodec
{
    public string Encode(object item) => item is TestDriftEvent e
        ? JsonSerializer.Serialize(e)
        : throw new ArgumentException($"Not a {nameof(TestDriftEvent)}: {item.GetType().Name}", nameof(item));

    public object Decode(string payload) =>
        JsonSerializer.Deserialize<TestDriftEvent>(payload) ?? throw new FormatException("An empty stream payload.");
}
