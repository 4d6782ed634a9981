using System.Buffers;
using System.Text;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Protocol.ReaderDriver;

namespace Obelus.Reactive.Tests.Protocol;

/// <summary>
/// A message seen partly is resumed on the next call, not started over: whatever mix of growing
/// segments delivers it, the result is the one of a whole read.
/// </summary>
public sealed class AmiMessageReaderResumeTests
{
    private const string LegacyCommandWithBlankLines =
        "Response: Follows\r\nPrivilege: Command\r\nActionID: c-1\r\nChannel              Location\n\nSIP/1: up   here\n\n\n2 active channels\n--END COMMAND--\r\n\r\nEvent: Next\r\nA: b\r\n\r\n";

    public static TheoryData<string> Traces => TraceFiles.ReceivedTheoryData();

    [Theory]
    [MemberData(nameof(Traces))]
    public void Trace_growing_in_one_segment_a_few_bytes_at_a_time_gives_the_same_messages(string trace)
    {
        var data = TraceFiles.Received(trace);
        var expected = RenderAll(ReadAll(new ReadOnlySequence<byte>(data), new AmiMessageReader(), out _));

        var actual = Grow(data, new AmiMessageReader(), step: 7, twoSegmentsEvery: 0);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Traces))]
    public void Trace_growing_alternately_in_one_and_two_segments_gives_the_same_messages(string trace)
    {
        var data = TraceFiles.Received(trace);
        var expected = RenderAll(ReadAll(new ReadOnlySequence<byte>(data), new AmiMessageReader(), out _));

        var actual = Grow(data, new AmiMessageReader(), step: 5, twoSegmentsEvery: 3);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 2)]
    [InlineData(3, 1)]
    public void Legacy_command_output_with_blank_lines_growing_byte_by_byte_gives_the_same_message(int step, int twoSegmentsEvery)
    {
        var data = Encoding.UTF8.GetBytes(LegacyCommandWithBlankLines);
        var expected = RenderAll(ReadAll(data, NoBanner));

        var actual = Grow(data, new AmiMessageReader(NoBanner), step, twoSegmentsEvery);

        Assert.Equal(2, expected.Count);
        Assert.Contains("out[]", expected[0], StringComparison.Ordinal);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Handing_back_fewer_bytes_than_before_starts_the_message_again()
    {
        var reader = new AmiMessageReader(NoBanner);
        var partial = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("Event: Long\r\nFirst: header\r\nSecond: hea"));
        Assert.False(reader.TryRead(ref partial, out _));

        var other = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("Event: B\r\n\r\n"));
        Assert.True(reader.TryRead(ref other, out var result));

        Assert.Equal("B", ((AmiEvent)result.Message!).Name);
        Assert.Equal(1, result.Message!.Count);
    }

    [Fact]
    public void Handing_back_fewer_bytes_than_were_copied_from_segments_starts_the_message_again()
    {
        var reader = new AmiMessageReader(NoBanner);
        var partial = Segments.Of(Encoding.ASCII.GetBytes("Event: Long\r\nFirst: he"), Encoding.ASCII.GetBytes("ader\r\nSecond: hea"));
        Assert.False(reader.TryRead(ref partial, out _));

        var other = Segments.Of(Encoding.ASCII.GetBytes("Event: B\r\n"), Encoding.ASCII.GetBytes("\r\n"));
        Assert.True(reader.TryRead(ref other, out var result));

        Assert.Equal("B", ((AmiEvent)result.Message!).Name);
        Assert.True(other.IsEmpty);
    }

    /// <summary>
    /// Hands the reader what it left plus <paramref name="step"/> more bytes each call, as one
    /// segment, or (every <paramref name="twoSegmentsEvery"/>th call) cut in two in the middle.
    /// </summary>
    private static List<string> Grow(byte[] data, AmiMessageReader reader, int step, int twoSegmentsEvery)
    {
        var results = new List<string>();
        var start = 0;
        var arrived = 0;
        var call = 0;
        while (arrived < data.Length)
        {
            arrived = Math.Min(arrived + step, data.Length);
            var length = arrived - start;
            ReadOnlySequence<byte> buffer;
            if (twoSegmentsEvery > 0 && ++call % twoSegmentsEvery == 0 && length > 1)
            {
                var middle = start + (length / 2);
                buffer = Segments.Of(data.AsMemory(start, middle - start), data.AsMemory(middle, arrived - middle));
            }
            else
            {
                buffer = new ReadOnlySequence<byte>(data, start, length);
            }

            while (reader.TryRead(ref buffer, out var result))
            {
                results.Add(Render(result));
            }

            start = arrived - (int)buffer.Length;
        }

        Assert.Equal(data.Length, reader.Offset);
        return results;
    }
}
