using System.Net;
using System.Net.Sockets;

namespace Governance.Storage.Tests.Postgres;

/// <summary>
/// A loopback TCP forwarder to the test PostgreSQL that a test can cut (every connection dropped,
/// new ones refused) and restore, to play a database outage without stopping the shared server.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _open = [];
    private readonly Lock _lock = new();
    private readonly Task _accepting;
    private volatile bool _cut;

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Drops every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_lock)
        {
            foreach (var client in _open)
            {
                try
                {
                    // Reset rather than close gracefully, like a crashed server or a cut cable.
                    client.Client.LingerState = new LingerOption(true, 0);
                }
                catch (Exception exception) when (exception is ObjectDisposedException or SocketException)
                {
                    // Already closed by its forwarding task.
                }

                client.Dispose();
            }

            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient incoming;
            try
            {
                incoming = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_cut)
            {
                incoming.Dispose();
                continue;
            }

            _ = ForwardAsync(incoming);
        }
    }

    private async Task ForwardAsync(TcpClient incoming)
    {
        var outgoing = new TcpClient();
        try
        {
            await outgoing.ConnectAsync(_targetHost, _targetPort, _stopping.Token);
            lock (_lock)
            {
                _open.Add(incoming);
                _open.Add(outgoing);
            }

            var up = incoming.GetStream().CopyToAsync(outgoing.GetStream(), _stopping.Token);
            var down = outgoing.GetStream().CopyToAsync(incoming.GetStream(), _stopping.Token);
            await Task.WhenAny(up, down);
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ends, as a real outage would end it.
        }
        finally
        {
            lock (_lock)
            {
                _open.Remove(incoming);
                _open.Remove(outgoing);
            }

            incoming.Dispose();
            outgoing.Dispose();
        }
    }
}
