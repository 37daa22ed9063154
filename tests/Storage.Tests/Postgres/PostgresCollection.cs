namespace Governance.Storage.Tests.Postgres;

/// <summary>
/// The integration tests that share one <see cref="PostgresFixture"/>. Classes of one collection run
/// one after another, which also keeps the load on the test server predictable.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
