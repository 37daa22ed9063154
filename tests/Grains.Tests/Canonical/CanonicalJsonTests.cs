using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Canonical;

namespace Governance.Grains.Tests.Canonical;

public class CanonicalJsonTests
{
    private static string Canonicalize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return CanonicalJson.Serialize(document.RootElement);
    }

    [Fact]
    public void Rfc8785_section_3_2_2_sample_is_canonicalized()
    {
        const string Input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50,
                          2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string Expected =
            """{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""";

        Assert.Equal(Expected, Canonicalize(Input));
        Assert.Equal(Expected, CanonicalJson.Serialize(JsonNode.Parse(Input)));
    }

    [Fact]
    public void Rfc8785_section_3_2_3_sorts_names_by_utf16_code_units()
    {
        const string Input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;
        const string Expected =
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\"," +
            "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\"," +
            "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";

        Assert.Equal(Expected, Canonicalize(Input));
        Assert.Equal(Expected, CanonicalJson.Serialize(JsonNode.Parse(Input)));
    }

    [Fact]
    public void Nested_objects_are_sorted_and_whitespace_removed()
    {
        Assert.Equal(
            """{"a":{"x":[1,{"m":true,"n":null}],"y":"z"},"b":[]}""",
            Canonicalize("""{ "b" : [ ], "a" : { "y" : "z", "x" : [ 1.0, { "n" : null, "m" : true } ] } }"""));
    }

    [Theory]
    [InlineData("\"\\u0000\\u0001\\u001f\"", "\"\\u0000\\u0001\\u001f\"")]
    [InlineData("\"\\b\\f\\n\\r\\t\"", "\"\\b\\f\\n\\r\\t\"")]
    [InlineData("\"\\u0008\\u000C\"", "\"\\b\\f\"")]
    [InlineData("\"\\\"\\\\\"", "\"\\\"\\\\\"")]
    [InlineData("\"\\/ <>&'+\\u007f\"", "\"/ <>&'+\u007f\"")]
    [InlineData("\"\\u00e9\\u2028\\u2029\\ud83d\\ude00\"", "\"\u00e9\u2028\u2029\ud83d\ude00\"")]
    public void Strings_are_escaped_like_json_stringify(string input, string expected)
    {
        Assert.Equal(expected, Canonicalize(input));
    }

    [Theory]
    [InlineData("-0", "0")]
    [InlineData("-0.0e5", "0")]
    [InlineData("1E21", "1e+21")]
    [InlineData("100000000000000000000", "100000000000000000000")]
    [InlineData("0.0000001", "1e-7")]
    [InlineData("1.25E-2", "0.0125")]
    [InlineData("9007199254740993", "9007199254740992")]
    public void Numbers_are_serialized_as_ecmascript_doubles(string input, string expected)
    {
        Assert.Equal(expected, Canonicalize(input));
    }

    [Fact]
    public void Number_overflowing_double_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Canonicalize("1e400"));
    }

    [Fact]
    public void Duplicate_names_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Canonicalize("""{"a":1,"b":2,"a":3}"""));
        Assert.Throws<ArgumentException>(() => Canonicalize("""[{"x":{"k":1,"k":1}}]"""));
    }

    [Theory]
    [InlineData("\"\\ud800\"")]
    [InlineData("\"\\udc00x\"")]
    [InlineData("{\"\\ud83d\":1}")]
    public void Lone_surrogates_in_json_text_are_rejected(string json)
    {
        Assert.Throws<ArgumentException>(() => Canonicalize(json));
    }

    [Fact]
    public void Lone_surrogates_in_nodes_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => CanonicalJson.Serialize(JsonValue.Create("a\ud800")));
        Assert.Throws<ArgumentException>(() => CanonicalJson.Serialize(new JsonObject { ["\udc00"] = 1 }));
    }

    [Fact]
    public void Node_overload_handles_null_and_clr_primitives()
    {
        Assert.Equal("null", CanonicalJson.Serialize((JsonNode?)null));
        var node = new JsonObject
        {
            ["long"] = 12L,
            ["decimal"] = 4.50m,
            ["double"] = -0.0,
            ["bool"] = false,
            ["char"] = 'c',
            ["null"] = null,
            ["array"] = new JsonArray(1, "two", null),
        };

        Assert.Equal(
            """{"array":[1,"two",null],"bool":false,"char":"c","decimal":4.5,"double":0,"long":12,"null":null}""",
            CanonicalJson.Serialize(node));
    }

    [Fact]
    public void Utf8_bytes_match_the_string_form()
    {
        using var document = JsonDocument.Parse("""{"€":"\ud83d\ude00","a":1}""");
        var bytes = CanonicalJson.SerializeToUtf8Bytes(document.RootElement);
        Assert.Equal(Encoding.UTF8.GetBytes("{\"a\":1,\"\u20ac\":\"\ud83d\ude00\"}"), bytes);
    }

    [Fact]
    public void Default_element_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => CanonicalJson.Serialize(default(JsonElement)));
    }
}
