using System.Globalization;
using System.Net.Http.Headers;
using Npgsql;

namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>
/// One silo for a whole test class: the real <c>Program</c> on PostgreSQL, in a schema of its own
/// that is dropped and recreated when the class starts (the silo applies the migrations itself).
/// Subclasses add configuration.
/// </summary>
public abstract class GovernanceSilo : IAsyncLifetime, IApiTarget
{
    private SiloApplicationFactory? _factory;
    private HttpClient? _http;
    private NpgsqlDataSource? _database;

    /// <summary>The PostgreSQL schema of this silo.</summary>
    protected abstract string SchemaName { get; }

    /// <summary>False for a silo that must not touch the test server at all.</summary>
    protected virtual bool UsesTestDatabase => true;

    /// <summary>The silo's schema, for reading what it stored without going through the API.</summary>
    public NpgsqlDataSource Database => _database ?? throw new InvalidOperationException("This silo has no test database.");

    /// <summary>A client that sends <paramref name="token"/> as its bearer token (no Authorization header when null).</summary>
    public ApiClient As(string? token) => WithAuthorization(token is null ? null : new AuthenticationHeaderValue("Bearer", token));

    /// <summary>A client that sends exactly this Authorization header (none when null).</summary>
    public ApiClient WithAuthorization(AuthenticationHeaderValue? authorization) =>
        new(_http ?? throw new InvalidOperationException("The silo is not started."), authorization);

    public virtual async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Governance:Storage:Provider"] = "postgres",
            ["Logging:LogLevel:Default"] = "Warning",
            // Test classes run at once, each with its own silo: each gets its own cluster ports.
            ["Orleans:ClusterId"] = SchemaName,
            ["Orleans:Endpoints:SiloPort"] = FreeLoopbackPort.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:Endpoints:GatewayPort"] = FreeLoopbackPort.Next().ToString(CultureInfo.InvariantCulture),
        };
        if (UsesTestDatabase)
        {
            await TestDatabase.ResetSchemaAsync(SchemaName);
            var connectionString = Route(TestDatabase.ConnectionStringFor(SchemaName));
            settings["ConnectionStrings:Governance"] = connectionString;
            _database = NpgsqlDataSource.Create(connectionString);
        }

        Configure(settings);
        _factory = new SiloApplicationFactory(settings);
        _http = _factory.CreateClient();
    }

    public virtual async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>The connection string the silo gets for its schema (a subclass may route it through a proxy).</summary>
    protected virtual string Route(string connectionString) => connectionString;

    /// <summary>Adds or overrides configuration keys of the silo.</summary>
    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }
}
