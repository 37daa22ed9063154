using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Governance.Runtime.Tests.Activation;

public interface INoteGrain : IGrainWithStringKey
{
    /// <summary>The stored note, or null when nothing was ever written (and nothing is written here).</summary>
    [ReadOnly]
    Task<string?> Read();

    /// <summary>The same read, in a turn.</summary>
    Task<string?> ReadInTurn();

    Task Write(string text);
}

public sealed record NoteState(string? Text);

[JsonSerializable(typeof(NoteState))]
internal sealed partial class NoteJsonContext : JsonSerializerContext;

/// <summary>A grain that writes nothing unless asked, unlike <see cref="CounterGrain"/> which writes on activation.</summary>
[GrainType("note")]
public sealed class NoteGrain : Grain<NoteState>, INoteGrain
{
    protected override JsonTypeInfo<NoteState> StateTypeInfo => NoteJsonContext.Default.NoteState;

    protected override NoteState CreateEmptyState() => new((string?)null);

    public Task<string?> Read() => Task.FromResult(State.Text);

    public Task<string?> ReadInTurn() => Task.FromResult(State.Text);

    public Task Write(string text) => WriteStateAsync(new NoteState(text), [], []);
}
