using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Governance.Runtime.Streams;

/// <summary>
/// Tells stream consumers which partitions just received events — from this silo's appends and
/// from PostgreSQL notifications — so delivery takes milliseconds rather than a poll interval.
/// </summary>
public sealed class StreamWakeups
{
    /// <summary>Sent instead of a partition when every partition must be checked (after a lost notification connection).</summary>
    public const int SweepAll = -1;

    private readonly ConcurrentDictionary<string, Channel<int>> _channels = new(StringComparer.Ordinal);

    public ChannelReader<int> Subscribe(string streamNamespace) => ChannelFor(streamNamespace).Reader;

    public void Notify(string streamNamespace, int partition)
    {
        if (_channels.TryGetValue(streamNamespace, out var channel))
        {
            channel.Writer.TryWrite(partition);
        }
    }

    public void NotifyAll()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Writer.TryWrite(SweepAll);
        }
    }

    private Channel<int> ChannelFor(string streamNamespace) =>
        _channels.GetOrAdd(streamNamespace, static _ => Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true }));
}
