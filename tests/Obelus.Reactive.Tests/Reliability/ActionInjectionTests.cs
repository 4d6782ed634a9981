using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Reliability;

/// <summary>CR, LF and NUL are refused in every key and value before a byte is written.</summary>
public sealed class ActionInjectionTests
{
    public static TheoryData<string> Poisons => new() { "x\r\nAction: Command\r\nCommand: core stop now", "x\ry", "x\ny", "x\0y" };

    private static readonly OriginateRequest Valid = new()
    {
        Channel = "Local/100@default",
        Context = "default",
        Exten = "100",
        CallerId = "\"Obelus\" <100>",
        Account = "acc",
        Codecs = ["ulaw"],
        Variables = new Dictionary<string, string> { ["FOO"] = "bar" },
        ExtraHeaders = [new("Foo", "bar")],
    };

    [Theory]
    [MemberData(nameof(Poisons))]
    public void Every_string_property_of_an_originate_request_refuses_line_breaks_and_nul(string poison)
    {
        var requests = new (string Property, OriginateRequest Request)[]
        {
            ("Channel", Valid with { Channel = "Local/" + poison }),
            ("Context", Valid with { Context = poison }),
            ("Exten", Valid with { Exten = poison }),
            ("CallerId", Valid with { CallerId = poison }),
            ("Account", Valid with { Account = poison }),
            ("Codecs", Valid with { Codecs = [poison] }),
            ("Variables key", Valid with { Variables = new Dictionary<string, string> { [poison] = "v" } }),
            ("Variables value", Valid with { Variables = new Dictionary<string, string> { ["K"] = poison } }),
            ("ExtraHeaders key", Valid with { ExtraHeaders = [new(poison, "v")] }),
            ("ExtraHeaders value", Valid with { ExtraHeaders = [new("Foo", poison)] }),
            ("Application", Valid with { Context = null, Exten = null, Application = poison }),
            ("Data", Valid with { Context = null, Exten = null, Application = "Wait", Data = poison }),
        };

        Valid.Validate();
        foreach (var (property, request) in requests)
        {
            var error = Record.Exception(request.Validate);
            Assert.True(error is ArgumentException, $"{property} accepted {poison.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}");
        }
    }

    [Theory]
    [MemberData(nameof(Poisons))]
    public void Every_path_into_an_ami_action_refuses_line_breaks_and_nul_before_anything_is_written(string poison)
    {
        var attempts = new (string Path, Action Attempt)[]
        {
            ("name", () => _ = new AmiAction(poison)),
            ("header name", () => new AmiAction("Ping").Add(poison, "v")),
            ("header value", () => new AmiAction("Ping").Add("K", poison)),
            ("AddIfNotNull", () => new AmiAction("Ping").AddIfNotNull("K", poison)),
            ("variable name", () => new AmiAction("Ping").AddVariable(poison, "v")),
            ("variable value", () => new AmiAction("Ping").AddVariable("K", poison)),
            ("ActionId", () => _ = new AmiAction("Ping") { ActionId = poison }),
        };

        foreach (var (path, attempt) in attempts)
        {
            Assert.True(Record.Exception(attempt) is ArgumentException, $"{path} accepted a poisoned value");
        }

        var output = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.ThrowsAny<ArgumentException>(() =>
        {
            var action = new AmiAction("Ping").Add("K", poison);
            AmiWriter.WriteAction(action, output);
        });
        Assert.Equal(0, output.WrittenCount);
    }
}
