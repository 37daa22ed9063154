namespace Governance.Storage;

/// <summary>
/// The ADO.NET invariant name Orleans' ADO.NET providers use for PostgreSQL. Orleans maps it to
/// <c>Npgsql.NpgsqlFactory</c> in the <c>Npgsql</c> assembly and loads that assembly by name itself;
/// no <c>DbProviderFactories</c> registration is needed, only the Npgsql package in the output.
/// </summary>
internal static class OrleansAdoNetInvariant
{
    public const string Npgsql = "Npgsql";
}
