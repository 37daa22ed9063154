using System.Collections.Concurrent;
using Governance.Storage.Streams;
using Governance.Storage.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Storage.Tests.Streams;

/// <summary>
/// A receiver's checkpoint moves only after the <see cref="IStreamCheckpointGate"/> made durable what the
/// streams confirmed since the last one were delivered: consumers may keep deliveries unsaved meanwhile.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresStreamCheckpointGateTests(PostgresFixture fixture)
{
    [Fact]
    public async Task The_checkpoint_stays_while_the_gate_refuses_and_moves_once_it_made_the_deliveries_durable()
    {
        var schema = await fixture.SchemaForAsync(GetType());
        var gate = new TestGate { Refuse = true };
        await using var cluster = await StreamTestCluster.StartAsync(
            schema.ConnectionString,
            configure: options => options.CheckpointInterval = TimeSpan.FromMilliseconds(50),
            services: services => services.AddKeyedSingleton<IStreamCheckpointGate>(GovernanceStorageNames.StreamProvider, gate));
        var key = $"gate-{Guid.NewGuid():N}";
        var stream = StreamId.Create("drift", key);
        var queue = PostgresStreamQueueMapper.QueueOf(key, 8);
        for (var n = 1; n <= 3; n++)
        {
            await cluster.Stream(key).OnNextAsync(new TestDriftEvent(key, n));
        }

        await StreamTestCluster.WaitUntilAsync(
            () => AppliedEvents.For(key).Applied.Count == 3, TimeSpan.FromSeconds(30), () => $"the 3 events of {key} to be applied");
        var lastSeq = AppliedEvents.For(key).LastSeq;
        await StreamTestCluster.WaitUntilAsync(
            () => gate.Refused.Count(s => s.Equals(stream)) >= 2, TimeSpan.FromSeconds(30), () => $"the gate to be asked about {key} twice");
        Assert.True(StreamTestCluster.CheckpointOf(schema, queue) < lastSeq, $"the checkpoint of queue {queue} passed seq {lastSeq} while the gate refused");

        gate.Refuse = false;

        await StreamTestCluster.WaitUntilAsync(
            () => StreamTestCluster.CheckpointOf(schema, queue) >= lastSeq, TimeSpan.FromSeconds(30),
            () => $"the checkpoint of queue {queue} to pass seq {lastSeq} once the gate agrees");
        Assert.Contains(stream, gate.Durable);
    }

    private sealed class TestGate : IStreamCheckpointGate
    {
        private bool _refuse;

        public bool Refuse
        {
            get => Volatile.Read(ref _refuse);
            set => Volatile.Write(ref _refuse, value);
        }

        public ConcurrentQueue<StreamId> Refused { get; } = new();

        public ConcurrentQueue<StreamId> Durable { get; } = new();

        public Task<bool> MakeDeliveredDurableAsync(IReadOnlyCollection<StreamId> streams, CancellationToken cancellationToken)
        {
            var refuse = Refuse;
            foreach (var stream in streams)
            {
                (refuse ? Refused : Durable).Enqueue(stream);
            }

            return Task.FromResult(!refuse);
        }
    }
}
