using Governance.Storage.Postgres;
using Governance.Storage.Tests.Contract;
using Npgsql;
using Orleans.Storage;

namespace Governance.Storage.Tests.Postgres;

/// <summary>The PostgreSQL storage keeps the contract, on a real server.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresGrainStorageTests(PostgresFixture fixture) : GrainStorageContractTests, IAsyncLifetime
{
    private PostgresGrainStorage? _storage;
    private NpgsqlDataSource? _dataSource;

    protected override IGrainStorage Storage => _storage!;

    protected override ILedgerReader Ledger => new PostgresLedgerReader(_dataSource!);

    protected override IGrainStateListing Listing => new PostgresGrainStateListing(_dataSource!);

    public async Task InitializeAsync()
    {
        _dataSource = await fixture.SchemaForAsync(GetType());
        _storage = new PostgresGrainStorage(_dataSource, TestJsonContext.StorageOptions());
    }

    public async Task DisposeAsync() => await _storage!.DisposeAsync();
}
