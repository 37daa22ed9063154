using Microsoft.Extensions.Logging;

namespace Governance.Storage.Migrations;

/// <summary>Log messages of the schema migrator.</summary>
internal static partial class MigrationLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information,
        Message = "Checking {MigrationCount} PostgreSQL migrations in schema {Schema}")]
    public static partial void MigrationsStarting(ILogger logger, int migrationCount, string schema);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information,
        Message = "Applied PostgreSQL migration {Version} ({Name}) in {ElapsedMilliseconds} ms")]
    public static partial void MigrationApplied(ILogger logger, int version, string name, long elapsedMilliseconds);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug,
        Message = "PostgreSQL migration {Version} ({Name}) is already applied")]
    public static partial void MigrationAlreadyApplied(ILogger logger, int version, string name);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information,
        Message = "PostgreSQL schema {Schema} is up to date ({AppliedCount} migrations applied now)")]
    public static partial void MigrationsCompleted(ILogger logger, string schema, int appliedCount);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error,
        Message = "PostgreSQL migration {Version} ({Name}) failed and was rolled back")]
    public static partial void MigrationFailed(ILogger logger, Exception exception, int version, string name);
}
