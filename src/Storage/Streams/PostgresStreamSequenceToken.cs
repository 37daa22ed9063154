using System.Globalization;
using Orleans;
using Orleans.Streams;

namespace Governance.Storage.Streams;

/// <summary>
/// The position of an event in a PostgreSQL stream queue: <see cref="SequenceNumber"/> is the event's
/// seq, unique across every queue of the provider, strictly increasing along each stream and, within a
/// queue, in delivery order. Consumers use it as the event's seq for idempotency. A batch container's
/// token is that of its first event. <see cref="EventIndex"/> is always 0 (each event has a seq of its own).
/// </summary>
[GenerateSerializer]
[Alias("governance.stream-seq")]
[Immutable]
public sealed class PostgresStreamSequenceToken : StreamSequenceToken
{
    public PostgresStreamSequenceToken(long sequenceNumber)
    {
        SequenceNumber = sequenceNumber;
    }

    [Id(0)]
    public override long SequenceNumber { get; protected set; }

    [Id(1)]
    public override int EventIndex { get; protected set; }

    public override bool Equals(StreamSequenceToken? other) =>
        other is PostgresStreamSequenceToken token && token.SequenceNumber == SequenceNumber && token.EventIndex == EventIndex;

    public override bool Equals(object? obj) => Equals(obj as StreamSequenceToken);

    public override int GetHashCode() => HashCode.Combine(SequenceNumber, EventIndex);

    public override int CompareTo(StreamSequenceToken? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (other is not PostgresStreamSequenceToken token)
        {
            throw new ArgumentOutOfRangeException(
                nameof(other), $"A {nameof(PostgresStreamSequenceToken)} compares only with its own kind, not {other.GetType().Name}.");
        }

        var bySeq = SequenceNumber.CompareTo(token.SequenceNumber);
        return bySeq != 0 ? bySeq : EventIndex.CompareTo(token.EventIndex);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"seq {SequenceNumber}");
}
