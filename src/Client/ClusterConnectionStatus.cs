namespace Governance.Client;

/// <summary>How many silo gateways the client is connected to, as Orleans reports it.</summary>
public sealed class ClusterConnectionStatus : IClusterConnectionStatusObserver
{
    private int _gateways;

    public int ConnectedGateways => Volatile.Read(ref _gateways);

    public bool IsConnected => ConnectedGateways > 0;

    void IClusterConnectionStatusObserver.NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        Volatile.Write(ref _gateways, currentNumberOfGateways);

    void IClusterConnectionStatusObserver.NotifyClusterConnectionLost() => Volatile.Write(ref _gateways, 0);
}
