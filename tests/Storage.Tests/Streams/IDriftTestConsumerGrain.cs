namespace Governance.Storage.Tests.Streams;

/// <summary>The implicit subscriber of the stream tests (no methods of its own).</summary>
public interface IDriftTestConsumerGrain : IGrainWithStringKey
{
}
