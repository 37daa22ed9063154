using System.Collections.Concurrent;
using System.Reflection;
using Governance.Runtime.Storage;
using Governance.Runtime.Streams;

namespace Governance.Runtime.Activation;

/// <summary>
/// Runs calls on activations: one turn at a time, read-only calls against the current snapshot,
/// a reload and one retry after an ETag conflict.
/// </summary>
internal sealed class GrainDispatcher(GrainCatalog catalog)
{
    private readonly ConcurrentDictionary<MethodInfo, GrainMethod> _methods = new();

    public object Invoke(GrainId id, MethodInfo method, object?[] args) =>
        _methods.GetOrAdd(method, GrainMethod.Create).Call(this, id, args);

    public Task DeliverReminderAsync(GrainId id, string name, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        RunAsync(id, readOnly: false, async grain =>
        {
            if (grain is not IRemindable remindable)
            {
                throw new InvalidOperationException($"Grain {id} received reminder '{name}' but is not IRemindable.");
            }

            await remindable.ReceiveReminder(name, dueAt);
            return true;
        }, cancellationToken);

    public Task DeliverStreamEventsAsync(GrainId id, IReadOnlyList<StreamEvent> events, CancellationToken cancellationToken) =>
        RunAsync(id, readOnly: false, async grain =>
        {
            if (grain is not IStreamSubscriber subscriber)
            {
                throw new InvalidOperationException($"Grain {id} received {events[0].Namespace} events but is not IStreamSubscriber.");
            }

            await subscriber.OnStreamEvents(events, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<bool> CheckpointStreamAsync(GrainId id, long throughSeq, CancellationToken cancellationToken) =>
        RunAsync(id, readOnly: false, grain => grain is IStreamSubscriber subscriber
            ? subscriber.OnStreamCheckpoint(throughSeq, cancellationToken)
            : throw new InvalidOperationException($"Grain {id} is not IStreamSubscriber."), cancellationToken);

    public async Task<T> RunAsync<T>(GrainId id, bool readOnly, Func<object, Task<T>> call, CancellationToken cancellationToken = default)
    {
        var conflictRetried = false;
        while (true)
        {
            var activation = catalog.GetOrCreate(id);
            catalog.Touch(activation);
            if (readOnly && activation.ReadyGrain is { } ready)
            {
                return await call(ready);
            }

            await activation.EnterTurnAsync(cancellationToken);
            try
            {
                if (activation.IsDeactivated)
                {
                    continue;
                }

                var grain = await catalog.EnsureLoadedAsync(activation, cancellationToken);
                return await call(grain);
            }
            catch (ETagConflictException) when (!conflictRetried)
            {
                // Someone else wrote this grain: reload its state and run the call once more.
                conflictRetried = true;
                RuntimeMetrics.StorageConflicts.Add(1);
                activation.MarkStale();
            }
            catch (Exception exception) when (exception is ETagConflictException or StorageUnavailableException)
            {
                // An unacknowledged write may still have committed: trust only the store from now on.
                activation.MarkStale();
                throw;
            }
            finally
            {
                catalog.ReleaseIfEmpty(activation);
                activation.ExitTurn();
            }
        }
    }

    private sealed record GrainMethod(bool IsReadOnly, Func<GrainDispatcher, GrainId, object?[], object> Call)
    {
        private const BindingFlags InvokeFlags = BindingFlags.DoNotWrapExceptions;

        public static GrainMethod Create(MethodInfo method)
        {
            var readOnly = method.GetCustomAttribute<ReadOnlyAttribute>() is not null;
            var returnType = method.ReturnType;
            if (returnType == typeof(Task))
            {
                return new GrainMethod(readOnly, (dispatcher, id, args) => dispatcher.RunAsync(id, readOnly, async grain =>
                {
                    await (Task)method.Invoke(grain, InvokeFlags, null, args, null)!;
                    return true;
                }));
            }

            if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
            {
                var bind = typeof(GrainMethod)
                    .GetMethod(nameof(BindTyped), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(returnType.GetGenericArguments()[0]);
                return new GrainMethod(readOnly, (Func<GrainDispatcher, GrainId, object?[], object>)bind.Invoke(null, [method, readOnly])!);
            }

            throw new NotSupportedException($"Grain method {method.DeclaringType}.{method.Name} must return Task or Task<T>.");
        }

        private static Func<GrainDispatcher, GrainId, object?[], object> BindTyped<T>(MethodInfo method, bool readOnly) =>
            (dispatcher, id, args) => dispatcher.RunAsync(id, readOnly, grain => (Task<T>)method.Invoke(grain, InvokeFlags, null, args, null)!);
    }
}
