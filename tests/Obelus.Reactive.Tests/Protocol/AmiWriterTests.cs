using System.Buffers;
using System.Text;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Protocol;

public sealed class AmiWriterTests
{
    [Fact]
    public void Action_is_written_with_action_id_headers_in_order_and_a_blank_line()
    {
        var action = new AmiAction("Originate") { ActionId = "o-1" }
            .Add("Channel", "Local/100@default")
            .AddVariable("X_TRACK", "t1")
            .Add("Async", "true");

        var text = Encoding.UTF8.GetString(AmiWriter.ToBytes(action));

        Assert.Equal("Action: Originate\r\nActionID: o-1\r\nChannel: Local/100@default\r\nVariable: X_TRACK=t1\r\nAsync: true\r\n\r\n", text);
    }

    [Fact]
    public void Action_without_action_id_has_no_action_id_line_and_non_ascii_is_utf8()
    {
        var buffer = new ArrayBufferWriter<byte>();

        AmiWriter.WriteAction(new AmiAction("Originate").Add("CallerID", "\"Zo\u00eb\" <1>"), buffer);

        Assert.Equal("Action: Originate\r\nCallerID: \"Zo\u00eb\" <1>\r\n\r\n"u8.ToArray(), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Action_value_with_injected_line_end_is_refused_before_it_is_built()
    {
        var action = new AmiAction("Originate");

        Assert.Throws<ArgumentException>(() => action.Add("CallerID", "x\r\nAction: Command\r\nCommand: core stop now"));
        Assert.Throws<ArgumentException>(() => action.AddVariable("A", "1\n2"));
        Assert.Throws<ArgumentException>(() => action.AddVariable("A\0", "1"));
        Assert.Throws<ArgumentException>(() => action.ActionId = "id\r");
        Assert.Throws<ArgumentException>(() => new AmiAction("Ping\n"));
        Assert.Empty(action.Headers);
    }

    [Theory]
    [InlineData("Bad\r\nName", "v")]
    [InlineData("Name", "v\nInjected: 1")]
    [InlineData("Name", "v\rx")]
    [InlineData("Name", "v\0")]
    [InlineData("", "v")]
    [InlineData("Na:me", "v")]
    public void Message_with_a_bad_last_header_writes_nothing(string name, string value)
    {
        // Built from raw parts, past the factory's checks, so the writer's own check is what is tested.
        var message = RawMessage(("Event", "X"), ("Good", "1"), (name, value));
        var buffer = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => AmiWriter.WriteMessage(message, buffer));
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void Message_is_appended_after_what_the_output_already_holds()
    {
        var parsed = ReaderDriver.Single("Event: X\r\nGood: 1\r\n\r\n");
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("previous"u8);

        AmiWriter.WriteMessage(parsed, buffer);

        Assert.Equal("previousEvent: X\r\nGood: 1\r\n\r\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Event_message_is_written_as_headers_and_a_blank_line()
    {
        var evt = AmiEvent.Create("Hangup", ("Channel", "Local/100@default-00000001;1"), ("Cause", "16"), ("Cause-txt", "Normal Clearing"));
        var buffer = new ArrayBufferWriter<byte>();

        AmiWriter.WriteMessage(evt, buffer);

        Assert.Equal("Event: Hangup\r\nChannel: Local/100@default-00000001;1\r\nCause: 16\r\nCause-txt: Normal Clearing\r\n\r\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Written_action_reads_back_as_the_same_request()
    {
        var action = new AmiAction("Originate") { ActionId = "r-1" }
            .Add("Channel", "Local/100@default")
            .Add("Filter", "Privilege: call,all")
            .Add("Empty", string.Empty)
            .AddVariable("X_TRACK", "t\u00e9");

        var request = Assert.IsType<AmiRequest>(ReaderDriver.ReadAll(AmiWriter.ToBytes(action), ReaderDriver.NoBanner).Single().Message);

        Assert.Equal("Originate", request.Name);
        Assert.Equal("r-1", request.ActionId);
        Assert.Equal(action.Headers, request.Skip(2));
    }

    [Fact]
    public void Written_messages_read_back_with_the_same_headers_and_output()
    {
        var response = AmiResponse.Create("Success", ("ActionID", "c-1"), ("Message", "Command output follows"), ("Output", "Channel   State   "), ("Output", "1 active call"));
        var evt = AmiEvent.Create("VarSet", ("Variable", "A"), ("Variable", "B"), ("Value", "x: y"));
        var buffer = new ArrayBufferWriter<byte>();
        AmiWriter.WriteMessage(response, buffer);
        AmiWriter.WriteMessage(evt, buffer);

        var results = ReaderDriver.ReadAll(buffer.WrittenSpan.ToArray(), ReaderDriver.NoBanner);

        Assert.Equal(response.ToArray(), results[0].Message!.ToArray());
        Assert.Equal(new[] { "Channel   State   ", "1 active call" }, results[0].Message!.Output);
        Assert.Equal(evt.ToArray(), results[1].Message!.ToArray());
    }

    private static AmiMessage RawMessage(params (string Name, string Value)[] headers)
    {
        var data = new List<byte>();
        var slots = new HeaderSlot[headers.Length];
        for (var i = 0; i < headers.Length; i++)
        {
            var name = Encoding.UTF8.GetBytes(headers[i].Name);
            var value = Encoding.UTF8.GetBytes(headers[i].Value);
            slots[i] = new HeaderSlot(data.Count, name.Length, data.Count + name.Length, value.Length);
            data.AddRange(name);
            data.AddRange(value);
        }

        return AmiMessage.FromParts(AmiMessageKind.Event, data.ToArray(), slots, headers.Length, null);
    }
}
