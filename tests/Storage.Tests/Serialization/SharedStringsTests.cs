using System.Text;
using System.Text.Json;
using Governance.Storage.Serialization;

namespace Governance.Storage.Tests.Serialization;

[Trait("Category", "Unit")]
public sealed class SharedStringsTests
{
    private static readonly JsonSerializerOptions Options = JsonSerializerOptions.Default;

    [Fact]
    public void Vocabulary_reads_of_equal_strings_return_one_instance()
    {
        var first = ReadString(new VocabularyStringConverter(), "\"shared-strings-test-principal\"");
        var second = ReadString(new VocabularyStringConverter(), "\"shared-strings-test-principal\"");

        Assert.Equal("shared-strings-test-principal", first);
        Assert.Same(first, second);
    }

    [Fact]
    public void Escaped_strings_are_read_unescaped()
    {
        var value = ReadString(new VocabularyStringConverter(), "\"caf\\u00e9 \\\"x\\\"\"");

        Assert.Equal("café \"x\"", value);
    }

    [Fact]
    public void Strings_longer_than_an_identifier_are_read_but_not_pooled()
    {
        var text = new string('a', SharedStrings.MaxPooledLength + 1);

        var first = ReadString(new VocabularyStringConverter(), $"\"{text}\"");
        var second = ReadString(new VocabularyStringConverter(), $"\"{text}\"");

        Assert.Equal(text, first);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void Repeated_strings_are_shared_within_one_state_only()
    {
        string first, second, third;
        using (SharedStrings.BeginState())
        {
            first = ReadString(new RepeatedStringConverter(), "\"sha256:abc\"");
            second = ReadString(new RepeatedStringConverter(), "\"sha256:abc\"");
        }

        using (SharedStrings.BeginState())
        {
            third = ReadString(new RepeatedStringConverter(), "\"sha256:abc\"");
        }

        Assert.Same(first, second);
        Assert.NotSame(first, third);
        Assert.Equal(first, third);
    }

    [Fact]
    public void Repeated_strings_outside_a_state_are_plain_reads()
    {
        var first = ReadString(new RepeatedStringConverter(), "\"sha256:abc\"");
        var second = ReadString(new RepeatedStringConverter(), "\"sha256:abc\"");

        Assert.Equal(first, second);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void Lists_read_as_exact_arrays_and_write_as_before()
    {
        var converter = new VocabularyListConverter();
        var reader = Reader("""["staging","production"]""");
        var list = converter.Read(ref reader, typeof(IReadOnlyList<string>), Options)!;

        Assert.IsType<string[]>(list);
        Assert.Equal(["staging", "production"], list);
        Assert.Equal("""["staging","production"]""", Write(w => converter.Write(w, list, Options)));
    }

    [Fact]
    public void Empty_lists_read_as_the_shared_empty_array()
    {
        var converter = new VocabularyListConverter();
        var first = Reader("[]");
        var second = Reader("[ ]");

        Assert.Same(converter.Read(ref first, typeof(IReadOnlyList<string>), Options), converter.Read(ref second, typeof(IReadOnlyList<string>), Options));
    }

    [Fact]
    public void Metric_maps_share_their_keys_and_write_as_before()
    {
        var converter = new VocabularyKeyDictionaryConverter();
        const string json = """{"accuracy":0.953,"loss":0.121,"f1":1E-05}""";
        var first = Reader(json);
        var second = Reader(json);
        var a = converter.Read(ref first, typeof(Dictionary<string, double>), Options)!;
        var b = converter.Read(ref second, typeof(Dictionary<string, double>), Options)!;

        Assert.Equal(0.953, a["accuracy"]);
        Assert.Same(a.Keys.First(), b.Keys.First());
        Assert.Equal(JsonSerializer.Serialize(a), Write(w => converter.Write(w, a, Options)));
    }

    private static string ReadString(System.Text.Json.Serialization.JsonConverter<string> converter, string json)
    {
        var reader = Reader(json);
        return converter.Read(ref reader, typeof(string), Options)!;
    }

    private static Utf8JsonReader Reader(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return reader;
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
