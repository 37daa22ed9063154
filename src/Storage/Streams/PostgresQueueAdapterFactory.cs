using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Governance.Storage.Streams;

/// <summary>
/// Orleans' entry point to a PostgreSQL stream provider (migration 0007): the adapter that produces
/// into the queues' logs and reads them, Orleans' simple queue cache, the queue mapper and the failure
/// handler that sets aside events Orleans gave up on. One per provider and process (silo or client).
/// Register with <see cref="PostgresStreamHostingExtensions"/>.
/// </summary>
public sealed class PostgresQueueAdapterFactory : IQueueAdapterFactory, IAsyncDisposable
{
    private readonly string _name;
    private readonly PostgresStreamOptions _options;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly IQueueAdapterCache _cache;
    private readonly PostgresStreamNotifications _notifications;
    private readonly Lazy<PostgresStreamAppender> _appender;
    private readonly ConcurrentDictionary<int, PostgresQueueAdapterReceiver> _receivers = new();
    private readonly Lazy<IStreamPayloadCodec> _codec;
    private readonly Lazy<IStreamSetAside> _setAside;

    public PostgresQueueAdapterFactory(
        string name, PostgresStreamOptions options, NpgsqlDataSource dataSource, IServiceProvider services, ILoggerFactory loggerFactory)
    {
        _name = name;
        _options = options;
        _services = services;
        _loggerFactory = loggerFactory;
        _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        Log = new PostgresStreamLog(dataSource, name);
        QueueMapper = new PostgresStreamQueueMapper(name, options.QueueCount);
        _cache = new SimpleQueueAdapterCache(new SimpleQueueCacheOptions { CacheSize = options.CacheSize }, name, loggerFactory);
        _notifications = new PostgresStreamNotifications(dataSource, name, loggerFactory.CreateLogger<PostgresStreamNotifications>());
        _appender = new(() => new PostgresStreamAppender(Log, options.MaxAppendsPerTransaction));
        _codec = new(() => services.GetKeyedService<IStreamPayloadCodec>(name) ?? services.GetRequiredService<IStreamPayloadCodec>());
        _setAside = new(() => services.GetKeyedService<IStreamSetAside>(name)
            ?? new PostgresStreamSetAside(dataSource, name, options.QueueCount));
    }

    internal PostgresStreamLog Log { get; }

    internal PostgresStreamQueueMapper QueueMapper { get; }

    internal IStreamPayloadCodec Codec => _codec.Value;

    /// <summary>Orleans' factory method (<c>AddPersistentStreams(name, Create, ...)</c>).</summary>
    public static PostgresQueueAdapterFactory Create(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<PostgresStreamOptions>>().Get(name);
        var dataSource = services.GetRequiredKeyedService<NpgsqlDataSource>(PostgresStreamHostingExtensions.DataSourceKey(name));
        return ActivatorUtilities.CreateInstance<PostgresQueueAdapterFactory>(services, name, options, dataSource);
    }

    [Obsolete("Orleans calls the overload with a cancellation token.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) =>
        Task.FromResult<IQueueAdapter>(new PostgresQueueAdapter(this, _name));

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => QueueMapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new PostgresStreamFailureHandler(
            this, (int)queueId.GetNumericId(), _setAside.Value, _options, _time, _loggerFactory.CreateLogger<PostgresStreamFailureHandler>()));

    public async ValueTask DisposeAsync()
    {
        if (_appender.IsValueCreated)
        {
            await _appender.Value.DisposeAsync();
        }

        await _notifications.DisposeAsync();
    }

    internal PostgresStreamAppender Appender => _appender.Value;

    internal PostgresQueueAdapterReceiver? ReceiverFor(int queue) => _receivers.GetValueOrDefault(queue);

    internal PostgresQueueAdapterReceiver CreateReceiver(QueueId queueId)
    {
        var queue = (int)queueId.GetNumericId();
        PostgresQueueAdapterReceiver? receiver = null;
        receiver = new PostgresQueueAdapterReceiver(
            Log, _notifications, Codec, _options, _time, _loggerFactory.CreateLogger<PostgresQueueAdapterReceiver>(), queue,
            () => _receivers.TryRemove(new KeyValuePair<int, PostgresQueueAdapterReceiver>(queue, receiver!)));
        _receivers[queue] = receiver;
        return receiver;
    }
}
