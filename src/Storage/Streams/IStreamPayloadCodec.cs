namespace Governance.Storage.Streams;

/// <summary>
/// Turns stream events into the text stored in the PostgreSQL log and back. The host registers one in
/// DI (the grains project registers the JSON of its drift observation, so the stored text is what the
/// old runtime stored). Decoding happens wherever a batch is delivered, also on another silo.
/// </summary>
public interface IStreamPayloadCodec
{
    /// <summary>The text stored for <paramref name="item"/>; throws when the item is not of a known type.</summary>
    string Encode(object item);

    /// <summary>The event <paramref name="payload"/> was encoded from.</summary>
    object Decode(string payload);
}
