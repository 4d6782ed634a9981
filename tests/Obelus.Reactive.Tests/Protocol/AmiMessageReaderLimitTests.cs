using System.Buffers;
using System.Text;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Protocol.ReaderDriver;

namespace Obelus.Reactive.Tests.Protocol;

public sealed class AmiMessageReaderLimitTests
{
    private static readonly AmiReaderOptions Small = new()
    {
        ExpectBanner = false,
        MaxLineLength = 100,
        MaxHeaderCount = 10,
        MaxMessageBytes = 1000,
    };

    private const string Next = "Event: Next\r\nX: 1\r\n\r\n";

    [Fact]
    public void Over_long_line_is_reported_once_skipped_without_buffering_and_the_next_message_parses()
    {
        var head = "Event: Big\r\nData: ";
        var chunks = new List<byte[]> { Encoding.ASCII.GetBytes(head) };
        chunks.AddRange(Enumerable.Repeat(Encoding.ASCII.GetBytes(new string('x', 64)), 200));
        chunks.Add(Encoding.ASCII.GetBytes("\r\nMore: y\r\n\r\n" + Next));
        var reader = new AmiMessageReader(Small);

        var results = Feed(reader, chunks, out var maxBuffered, out _);

        Assert.Equal(2, results.Count);
        var error = results[0].Error!;
        Assert.Equal(AmiProtocolError.LineTooLong, error.Error);
        Assert.Equal(head.IndexOf("Data", StringComparison.Ordinal), error.Offset);
        Assert.StartsWith("Data: xxx", error.Line, StringComparison.Ordinal);
        Assert.True(error.Line!.Length <= 200);
        Assert.Equal("Next", ((AmiEvent)results[1].Message!).Name);
        Assert.True(maxBuffered <= Small.MaxLineLength + 64, $"kept {maxBuffered} bytes while skipping");
    }

    [Fact]
    public void Skipping_advances_the_buffer_and_returns_false_until_the_blank_line()
    {
        var reader = new AmiMessageReader(Small);
        var input = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("Event: Big\r\nData: " + new string('x', 300)));

        Assert.True(reader.TryRead(ref input, out var first));
        Assert.Equal(AmiProtocolError.LineTooLong, first.Error!.Error);
        Assert.False(reader.TryRead(ref input, out _));
        Assert.True(reader.IsSkipping);
        Assert.True(input.Length <= 1, $"{input.Length} bytes still held");
        Assert.True(reader.Offset > 300);

        var rest = Segments.Of(input.ToArray(), Encoding.ASCII.GetBytes("xx\r\n\r\n" + Next));
        Assert.True(reader.TryRead(ref rest, out var next));
        Assert.Equal("Next", ((AmiEvent)next.Message!).Name);
        Assert.False(reader.IsSkipping);
    }

    [Fact]
    public void Too_many_headers_is_reported_at_the_message_start_and_the_next_message_parses()
    {
        var message = "Event: Many\r\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"H{i}: v\r\n")) + "\r\n";
        var results = ReadAll("Event: First\r\n\r\n" + message + Next, Small);

        Assert.Equal(3, results.Count);
        Assert.Equal(AmiProtocolError.TooManyHeaders, results[1].Error!.Error);
        Assert.Equal(16, results[1].Error!.Offset);
        Assert.Equal("Event: Many", results[1].Error!.Line);
        Assert.Equal("Next", ((AmiEvent)results[2].Message!).Name);
    }

    [Fact]
    public void Too_large_message_is_skipped_as_it_arrives_and_reported_once()
    {
        var chunks = new List<byte[]> { "Event: Huge\r\n"u8.ToArray() };
        chunks.AddRange(Enumerable.Range(0, 200).Select(i => Encoding.ASCII.GetBytes($"Header{i % 8}: {new string('v', 40)}\r\n")));
        chunks.Add(Encoding.ASCII.GetBytes("\r\n" + Next));
        var options = Small with { MaxHeaderCount = 1000 };
        var reader = new AmiMessageReader(options);

        var results = Feed(reader, chunks, out var maxBuffered, out _);

        Assert.Equal(2, results.Count);
        Assert.Equal(AmiProtocolError.MessageTooLarge, results[0].Error!.Error);
        Assert.Equal(0, results[0].Error!.Offset);
        Assert.Equal("Next", ((AmiEvent)results[1].Message!).Name);
        Assert.True(maxBuffered <= options.MaxMessageBytes + 100, $"kept {maxBuffered} bytes");
    }

    [Fact]
    public void Too_large_command_output_is_skipped_up_to_its_end_marker_even_past_blank_lines()
    {
        var body = string.Concat(Enumerable.Range(0, 40).Select(i => $"line {i} {new string('o', 30)}\n\n"));
        var input = "Response: Follows\r\nPrivilege: Command\r\n" + body + "last--END COMMAND--\r\n\r\n" + Next;

        var results = ReadAll(Encoding.ASCII.GetBytes(input), Small with { MaxHeaderCount = 1000 });

        Assert.Equal(2, results.Count);
        Assert.Equal(AmiProtocolError.MessageTooLarge, results[0].Error!.Error);
        Assert.Equal("Next", ((AmiEvent)results[1].Message!).Name);
    }

    [Fact]
    public void Huge_input_without_line_ends_keeps_memory_bounded()
    {
        var reader = new AmiMessageReader(Small);
        var chunks = Enumerable.Repeat(Encoding.ASCII.GetBytes(new string('z', 512)), 400).Prepend("Event: X\r\n"u8.ToArray());

        var results = Feed(reader, chunks, out var maxBuffered, out var remaining);

        Assert.Equal(AmiProtocolError.LineTooLong, Assert.Single(results).Error!.Error);
        Assert.True(maxBuffered < 1024, $"kept {maxBuffered} bytes");
        Assert.Null(reader.Complete(remaining));
    }

    [Theory]
    [InlineData("Hello: there\r\nX: 1\r\n\r\n", AmiProtocolError.UnknownMessageKind, 0, "Hello: there")]
    [InlineData("garbage line\r\n\r\n", AmiProtocolError.UnknownMessageKind, 0, "garbage line")]
    [InlineData("Event: A\r\nno colon here\r\nY: 2\r\n\r\n", AmiProtocolError.MissingColon, 10, "no colon here")]
    [InlineData("Event: A\r\n: nameless\r\n\r\n", AmiProtocolError.EmptyHeaderName, 10, ": nameless")]
    public void Malformed_message_is_reported_with_offset_and_line_then_reading_resynchronises(string bad, AmiProtocolError error, long offset, string line)
    {
        var results = ReadAll(bad + Next);

        Assert.Equal(2, results.Count);
        Assert.Equal(error, results[0].Error!.Error);
        Assert.Equal(offset, results[0].Error!.Offset);
        Assert.Equal(line, results[0].Error!.Line);
        Assert.Contains(error.ToString(), results[0].Error!.Message, StringComparison.Ordinal);
        Assert.Equal("Next", ((AmiEvent)results[1].Message!).Name);
    }

    [Fact]
    public void Malformed_message_split_in_one_byte_segments_is_reported_the_same()
    {
        var bytes = Encoding.ASCII.GetBytes("Event: A\r\nno colon here\r\nY: 2\r\n\r\n" + Next);

        var whole = RenderAll(ReadAll(bytes, NoBanner));
        var split = RenderAll(Feed(new AmiMessageReader(NoBanner), bytes.Chunk(1), out _, out _));

        Assert.Equal(whole, split);
    }

    [Fact]
    public void Stream_ending_inside_a_message_is_reported_by_complete()
    {
        var reader = new AmiMessageReader(NoBanner);
        var input = new ReadOnlySequence<byte>("Event: A\r\n\r\n\r\nEvent: Cut\r\nChan"u8.ToArray());

        var results = ReadAll(input, reader, out var remaining);
        var error = reader.Complete(remaining);

        Assert.Single(results);
        Assert.NotNull(error);
        Assert.Equal(AmiProtocolError.TruncatedMessage, error.Error);
        Assert.Equal(14, error.Offset);
        Assert.Equal("Event: Cut", error.Line);
    }

    [Fact]
    public void Stream_ending_after_whole_messages_and_blank_lines_is_clean()
    {
        var reader = new AmiMessageReader(NoBanner);
        var input = new ReadOnlySequence<byte>("Event: A\r\n\r\n\r\n\r"u8.ToArray());

        var results = ReadAll(input, reader, out var remaining);

        Assert.Single(results);
        Assert.Null(reader.Complete(remaining));
    }

    [Fact]
    public void Error_line_is_cut_to_about_two_hundred_characters()
    {
        var results = ReadAll("Event: A\r\n" + new string('q', 5000) + "\r\n\r\n" + Next);

        Assert.Equal(AmiProtocolError.MissingColon, results[0].Error!.Error);
        Assert.Equal(200, results[0].Error!.Line!.Length);
    }
}
