namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>The silo of the test class <typeparamref name="TTests"/>, in the schema named after that class.</summary>
public class SiloFixture<TTests> : GovernanceSilo
{
    protected override string SchemaName { get; } = "gateway_tests_" + typeof(TTests).Name.ToLowerInvariant();
}
