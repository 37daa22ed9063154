using System.Net;
using Governance.Gateway.Tests.Infrastructure;
using Governance.Storage.Tests.Postgres;
using Npgsql;

namespace Governance.Gateway.Tests;

/// <summary>
/// A silo on PostgreSQL whose database goes away once the silo is ready: its connections go through a
/// TCP proxy that is then cut (an Orleans silo needs its database to join its cluster, so it starts
/// with it). <see cref="Restore"/> brings the database back.
/// </summary>
public class UnreachableDatabaseSilo<TTests> : SiloFixture<TTests>
{
    private TcpProxy? _proxy;

    public async Task CutAsync()
    {
        await Eventually.UntilAsync(() => As(null).GetAsync("/health/ready"), r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the silo to be ready");
        Proxy.Cut();
    }

    public void Restore() => Proxy.Restore();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CutAsync();
    }

    public override async Task DisposeAsync()
    {
        _proxy?.Restore();
        await base.DisposeAsync();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }

    protected override string Route(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        _proxy = new TcpProxy(target.Host!, target.Port);
        target.Host = "127.0.0.1";
        target.Port = _proxy.Port;
        target.Timeout = 3;
        return target.ConnectionString;
    }

    private TcpProxy Proxy => _proxy ?? throw new InvalidOperationException("The silo is not started.");
}
