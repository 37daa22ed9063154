namespace Governance.Grains.Policy;

/// <summary>A policy file that cannot be used, with the file, line and field at fault.</summary>
public sealed class PolicyFileException(string file, int line, string field, string problem, Exception? innerException = null)
    : Exception($"Policy file {file}, line {line}{(field.Length > 0 ? $", field {field}" : "")}: {problem}", innerException)
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public string Field { get; } = field;
}
