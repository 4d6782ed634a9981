using Xunit;
using System.Buffers;
using System.Text;
using Obelus.Reactive.Protocol;
using static Obelus.Reactive.Tests.Protocol.ReaderDriver;

namespace Obelus.Reactive.Tests.Protocol;

public sealed class AmiMessageReaderTests
{
    [Fact]
    public void Banner_line_without_blank_line_is_read_then_messages_follow()
    {
        var results = ReadAll(Encoding.UTF8.GetBytes("Asterisk Call Manager/11.0.0\r\nResponse: Success\r\nMessage: Authentication accepted\r\n\r\n"), AmiReaderOptions.Default);

        Assert.Equal(2, results.Count);
        Assert.Equal(new AmiBanner("Asterisk Call Manager", "11.0.0"), results[0].Banner);
        Assert.True(results[0].Banner!.SupportsChannelId);
        var response = Assert.IsType<AmiResponse>(results[1].Message);
        Assert.Equal("Authentication accepted", response.Message);
    }

    [Fact]
    public void Banner_is_not_complete_until_its_line_end_arrives()
    {
        var reader = new AmiMessageReader();
        var input = new ReadOnlySequence<byte>("Asterisk Call Manager/11.0.0\r"u8.ToArray());

        Assert.False(reader.TryRead(ref input, out _));
        Assert.Equal(29, input.Length);
        Assert.Equal(0, reader.Offset);
    }

    [Fact]
    public void First_line_that_is_not_name_slash_version_is_reported_and_messages_still_parse()
    {
        var results = ReadAll(Encoding.UTF8.GetBytes("Hello there\r\nEvent: Ping\r\n\r\n"), AmiReaderOptions.Default);

        Assert.Equal(2, results.Count);
        Assert.Equal(AmiProtocolError.InvalidBanner, results[0].Error!.Error);
        Assert.Equal(0, results[0].Error!.Offset);
        Assert.Equal("Hello there", results[0].Error!.Line);
        Assert.Equal("Ping", Assert.IsType<AmiEvent>(results[1].Message).Name);
    }

    [Fact]
    public void Missing_banner_is_reported_and_the_first_message_is_kept()
    {
        var results = ReadAll(Encoding.UTF8.GetBytes("Response: Success\r\nActionID: 1\r\n\r\n"), AmiReaderOptions.Default);

        Assert.Equal(AmiProtocolError.InvalidBanner, results[0].Error!.Error);
        Assert.Equal("1", Assert.IsType<AmiResponse>(results[1].Message).ActionId);
    }

    [Theory]
    [InlineData("Success", false)]
    [InlineData("Error", true)]
    [InlineData("Goodbye", false)]
    [InlineData("Follows", false)]
    [InlineData("SomethingNew", false)]
    public void Response_status_is_kept_as_sent(string status, bool isError)
    {
        var suffix = status == "Follows" ? "--END COMMAND--\r\n" : string.Empty;
        var response = Assert.IsType<AmiResponse>(Single($"Response: {status}\r\nActionID: a-1\r\nMessage: hi\r\n{suffix}\r\n"));

        Assert.Equal(status, response.Status);
        Assert.Equal(isError, response.IsError);
        Assert.Equal("a-1", response.ActionId);
    }

    [Fact]
    public void Event_headers_keep_wire_order_and_names()
    {
        var message = Single("Event: Newchannel\r\nPrivilege: call,all\r\nChannel: Local/100@default-00000001;1\r\nUniqueid: 1795.1\r\n\r\n");

        var evt = Assert.IsType<AmiEvent>(message);
        Assert.Equal("Newchannel", evt.Name);
        Assert.Equal(
            new[] { new AmiHeader("Event", "Newchannel"), new AmiHeader("Privilege", "call,all"), new AmiHeader("Channel", "Local/100@default-00000001;1"), new AmiHeader("Uniqueid", "1795.1") },
            evt.ToArray());
    }

    [Fact]
    public void Action_first_header_gives_a_request()
    {
        var request = Assert.IsType<AmiRequest>(Single("Action: Ping\r\nActionID: 7\r\n\r\n"));

        Assert.Equal("Ping", request.Name);
        Assert.Equal(AmiMessageKind.Action, request.Kind);
    }

    [Fact]
    public void Repeated_variable_headers_are_kept_in_order()
    {
        var message = Single("Event: Status\r\nVariable: A=1\r\nChannel: x\r\nVariable: B=2\r\nvariable: C=3\r\n\r\n");

        Assert.Equal(new[] { "A=1", "B=2", "C=3" }, message.GetValues("Variable"));
        Assert.Equal("A=1", message["VARIABLE"]);
    }

    [Fact]
    public void Value_is_split_at_the_first_colon_and_keeps_the_rest_verbatim()
    {
        var message = Single("Event: Filter\r\nFilter: Privilege: call,all\r\nTime:12:30:01\r\nPadded:  two  spaces  \r\n\r\n");

        Assert.Equal("Privilege: call,all", message["Filter"]);
        Assert.Equal("12:30:01", message["Time"]);
        Assert.Equal(" two  spaces  ", message["Padded"]);
    }

    [Fact]
    public void Empty_value_is_an_empty_string()
    {
        var message = Single("Event: Newchannel\r\nAccountCode: \r\nLanguage:\r\n\r\n");

        Assert.Equal(string.Empty, message["AccountCode"]);
        Assert.Equal(string.Empty, message["Language"]);
        Assert.Equal(3, message.Count);
    }

    [Fact]
    public void Lookup_ignores_case_so_UniqueID_and_Uniqueid_both_match()
    {
        var legacy = Single("Event: Dial\r\nSubEvent: Begin\r\nUniqueID: 1.1\r\n\r\n");
        var modern = Single("Event: DialBegin\r\nUniqueid: 1.2\r\n\r\n");

        Assert.Equal("1.1", legacy["Uniqueid"]);
        Assert.Equal("1.2", modern["UniqueID"]);
        Assert.Equal("UniqueID", legacy[2].Name);
    }

    [Fact]
    public void Bare_LF_line_ends_parse_like_CRLF()
    {
        var lf = ReadAll("Event: A\nX: 1\n\nEvent: B\r\nY: 2\n\r\n");
        var crlf = ReadAll("Event: A\r\nX: 1\r\n\r\nEvent: B\r\nY: 2\r\n\r\n");

        Assert.Equal(RenderAll(crlf), RenderAll(lf));
        Assert.Equal(2, lf.Count);
    }

    [Fact]
    public void Blank_lines_between_messages_are_skipped()
    {
        var results = ReadAll("\r\n\r\nEvent: A\r\n\r\n\n\r\n\r\nEvent: B\r\n\r\n");

        Assert.Equal(new[] { "A", "B" }, results.Select(r => ((AmiEvent)r.Message!).Name));
    }

    [Fact]
    public void Legacy_follows_with_marker_on_its_own_line_gives_output_lines()
    {
        var response = Assert.IsType<AmiResponse>(Single(
            "Response: Follows\r\nPrivilege: Command\r\nActionID: c-1\r\nChannel              Location\nSIP/1: up   here\n\n2 active channels\n--END COMMAND--\r\n\r\n"));

        Assert.Equal("Follows", response.Status);
        Assert.Equal("c-1", response.ActionId);
        Assert.Equal("Command", response["Privilege"]);
        Assert.Equal(3, response.Count);
        Assert.Equal(new[] { "Channel              Location", "SIP/1: up   here", string.Empty, "2 active channels" }, response.Output);
    }

    [Fact]
    public void Legacy_follows_with_marker_glued_to_the_last_line_keeps_that_line()
    {
        var results = ReadAll("Response: Follows\r\nPrivilege: Command\r\nNo such command 'x'\nsee help--END COMMAND--\r\n\r\nEvent: Next\r\n\r\n");

        Assert.Equal(new[] { "No such command 'x'", "see help" }, results[0].Message!.Output);
        Assert.Equal("Next", ((AmiEvent)results[1].Message!).Name);
    }

    [Fact]
    public void Legacy_follows_without_output_has_no_lines()
    {
        var results = ReadAll("Response: Follows\r\nPrivilege: Command\r\nActionID: 9\r\n--END COMMAND--\r\n\r\nEvent: Next\r\n\r\n");

        Assert.Empty(results[0].Message!.Output);
        Assert.Equal("9", results[0].Message!.ActionId);
        Assert.Equal("Next", ((AmiEvent)results[1].Message!).Name);
    }

    [Fact]
    public void Modern_command_output_keeps_output_headers_and_fills_output()
    {
        var response = Single("Response: Success\r\nActionID: l-5\r\nMessage: Command output follows\r\nOutput: Channel    State   \r\nOutput: 2 active calls\r\nOutput: \r\n\r\n");

        Assert.Equal(new[] { "Channel    State   ", "2 active calls", string.Empty }, response.Output);
        Assert.Equal(response.Output, response.GetValues("Output"));
        Assert.Equal(6, response.Count);
    }

    [Fact]
    public void Events_have_no_output_lines()
    {
        Assert.Empty(Single("Event: X\r\nOutput: not command output\r\n\r\n").Output);
    }

    [Fact]
    public void Invalid_UTF8_becomes_replacement_characters_and_later_messages_are_fine()
    {
        var bytes = new List<byte>();
        bytes.AddRange("Event: Newchannel\r\nCallerIDName: Jos"u8.ToArray());
        bytes.AddRange(new byte[] { 0xE9, 0xFF, 0xC3 });
        bytes.AddRange("\r\n\r\nEvent: Next\r\nCallerIDName: Jos\u00e9\r\n\r\n"u8.ToArray());

        var results = ReadAll(bytes.ToArray(), NoBanner);

        Assert.Equal(2, results.Count);
        Assert.Equal("Jos\uFFFD\uFFFD\uFFFD", results[0].Message!["CallerIDName"]);
        Assert.Equal("Jos\u00e9", results[1].Message!["CallerIDName"]);
    }

    [Fact]
    public void Multibyte_character_split_across_segments_decodes_whole()
    {
        var bytes = "Event: X\r\nCallerIDName: Zo\u00eb \u4e2d\r\n\r\n"u8.ToArray();
        var split = Array.IndexOf(bytes, (byte)0xC3) + 1;
        var reader = new AmiMessageReader(NoBanner);
        var input = Segments.SplitAt(bytes, split);

        Assert.True(reader.TryRead(ref input, out var result));
        Assert.Equal("Zo\u00eb \u4e2d", result.Message!["CallerIDName"]);
    }

    [Fact]
    public void Offset_counts_every_consumed_byte()
    {
        var bytes = "Asterisk Call Manager/11.0.0\r\nEvent: A\r\n\r\n\r\nEvent: B\r\n\r\n"u8.ToArray();
        var reader = new AmiMessageReader();
        var input = new ReadOnlySequence<byte>(bytes);

        Assert.True(reader.TryRead(ref input, out _));
        Assert.Equal(30, reader.Offset);
        Assert.True(reader.TryRead(ref input, out _));
        Assert.Equal(42, reader.Offset);
        Assert.True(reader.TryRead(ref input, out _));
        Assert.Equal(bytes.Length, reader.Offset);
        Assert.True(input.IsEmpty);
    }

    [Fact]
    public void Parsed_message_holds_one_buffer_of_names_and_values()
    {
        var message = Single("Event: VarSet\r\nVariable: X_TRACK\r\nValue: t1\r\n\r\n");

        Assert.Equal("t1", message.RawValueAt(2).ToArray().Select(b => (char)b).Aggregate(string.Empty, (s, c) => s + c));
        Assert.True(message.HeaderEquals("event", "VARSET"));
    }

    [Fact]
    public void Reading_a_typical_event_allocates_under_one_kilobyte()
    {
        var one = "Event: Newchannel\r\nPrivilege: call,all\r\nChannel: Local/100@default-00000030;1\r\nChannelState: 0\r\nChannelStateDesc: Down\r\nCallerIDNum: <unknown>\r\nCallerIDName: <unknown>\r\nConnectedLineNum: <unknown>\r\nConnectedLineName: <unknown>\r\nLanguage: en\r\nAccountCode: \r\nContext: default\r\nExten: 100\r\nPriority: 1\r\nUniqueid: 1795682160.96\r\nLinkedid: 1795682160.96\r\n\r\n"u8.ToArray();
        var data = Enumerable.Repeat(one, 200).SelectMany(b => b).ToArray();
        var reader = new AmiMessageReader(NoBanner);
        var warmup = new ReadOnlySequence<byte>(one);
        Assert.True(reader.TryRead(ref warmup, out _));

        var input = new ReadOnlySequence<byte>(data);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var count = 0;
        while (reader.TryRead(ref input, out _))
        {
            count++;
        }

        var perEvent = (GC.GetAllocatedBytesForCurrentThread() - before) / count;
        Assert.Equal(200, count);
        Assert.True(perEvent < 1024, $"{perEvent} bytes per {one.Length}-byte event");
    }
}
