namespace Governance.Storage.Tests.Contract;

/// <summary>What Orleans' persistent state hands a grain storage: the state object, its ETag and whether a record exists.</summary>
public sealed class TestGrainState : IGrainState<EvidencedState<TestValue>>
{
    private EvidencedState<TestValue> _state = new();

    public EvidencedState<TestValue> State => _state;

    EvidencedState<TestValue>? IGrainState<EvidencedState<TestValue>>.State
    {
        get => _state;
        set => _state = value ?? throw new ArgumentNullException(nameof(value));
    }

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }
}
