using Governance.Grains.Wire;

namespace Governance.Grains.Drift;

/// <summary>Where drift alerts go after the model recorded them. Publishing never blocks or fails the caller.</summary>
public interface IDriftAlertSink
{
    void Publish(DriftAlert alert);
}
