using Microsoft.Extensions.Options;

namespace Governance.Storage.Streams;

/// <summary>Refuses <see cref="PostgresStreamOptions"/> that cannot work, at start.</summary>
public sealed class PostgresStreamOptionsValidator : IValidateOptions<PostgresStreamOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresStreamOptions options)
    {
        List<string> failures = [];
        if (options.QueueCount is < 1 or > 1_024)
        {
            failures.Add($"{nameof(options.QueueCount)} must be between 1 and 1024.");
        }

        Positive(options.ReadBatchSize, nameof(options.ReadBatchSize));
        Positive(options.MaxEventsPerContainer, nameof(options.MaxEventsPerContainer));
        Positive(options.MaxContainersPerDelivery, nameof(options.MaxContainersPerDelivery));
        Positive(options.MaxAppendsPerTransaction, nameof(options.MaxAppendsPerTransaction));
        Positive(options.CleanupBatchSize, nameof(options.CleanupBatchSize));
        Positive(options.CacheSize, nameof(options.CacheSize));
        Positive(options.CheckpointInterval, nameof(options.CheckpointInterval));
        Positive(options.Retention, nameof(options.Retention));
        Positive(options.CleanupInterval, nameof(options.CleanupInterval));
        Positive(options.PullingPeriod, nameof(options.PullingPeriod));
        if (options.NotificationWait < TimeSpan.Zero || options.NotificationWait > options.MaxEventDeliveryTime)
        {
            failures.Add($"{nameof(options.NotificationWait)} must be zero or positive, and below {nameof(options.MaxEventDeliveryTime)}.");
        }

        if (options.MinReadInterval < TimeSpan.Zero || options.MinReadInterval > TimeSpan.FromSeconds(1))
        {
            failures.Add($"{nameof(options.MinReadInterval)} must be between zero and 1 second.");
        }

        Positive(options.MaxEventDeliveryTime, nameof(options.MaxEventDeliveryTime));
        if (string.IsNullOrWhiteSpace(options.SetAsideConsumer))
        {
            failures.Add($"{nameof(options.SetAsideConsumer)} must be set.");
        }

        return failures.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(failures.Select(failure => $"Stream provider {name}: {failure}"));

        void Positive<T>(T value, string option) where T : IComparable<T>
        {
            if (value.CompareTo(default!) <= 0)
            {
                failures.Add($"{option} must be positive.");
            }
        }
    }
}
