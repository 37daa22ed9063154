using Governance.Runtime;

namespace Governance.Runtime.Tests.Streams;

/// <summary>A stream subscriber for the tests: it records the seqs and payloads it applied.</summary>
public interface IStreamProbeGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<StreamProbeState> GetState();
}
