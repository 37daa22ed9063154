namespace Governance.Grains.Tests.Infrastructure;

/// <summary>Writes the test storage fails on purpose, as an unreachable database does (writing nothing).</summary>
public sealed class StorageFaults
{
    private int _failuresLeft;
    private volatile string? _failingType;

    /// <summary>Failures set by <see cref="FailNext"/> that no write has taken yet.</summary>
    public int FailuresLeft => Volatile.Read(ref _failuresLeft);

    public void FailNext(int count, string? grainType)
    {
        _failingType = grainType;
        Volatile.Write(ref _failuresLeft, count);
    }

    /// <summary>True when this write of a grain of <paramref name="grainType"/> is to fail.</summary>
    public bool TakeFailure(string grainType)
    {
        var fails = _failingType is null || _failingType == grainType;
        for (var left = Volatile.Read(ref _failuresLeft); fails && left > 0; left = Volatile.Read(ref _failuresLeft))
        {
            if (Interlocked.CompareExchange(ref _failuresLeft, left - 1, left) == left)
            {
                return true;
            }
        }

        return false;
    }
}
