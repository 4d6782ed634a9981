using System.Text;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Protocol.ReaderDriver;

namespace Obelus.Reactive.Tests.Protocol;

/// <summary>A legacy <c>Response: Follows</c> body whose <c>--END COMMAND--</c> never comes must not swallow the stream.</summary>
public sealed class AmiMessageReaderCommandBodyTests
{
    private const string Unterminated =
        "Response: Follows\r\nPrivilege: Command\r\nActionID: c-1\r\nline one\nline two\n\r\n";

    private const string After =
        "Event: FullyBooted\r\nStatus: Fully Booted\r\n\r\nResponse: Success\r\nActionID: c-2\r\n\r\n";

    public static TheoryData<int> ChunkSizes => new() { 0, 1, 7 };

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void A_follows_body_without_its_end_marker_is_reported_and_the_next_messages_are_read(int chunk)
    {
        var results = Read(Unterminated + After, NoBanner, chunk);

        Assert.Equal(3, results.Count);
        Assert.Equal(AmiProtocolError.MissingEndCommand, results[0].Error!.Error);
        Assert.Equal(0, results[0].Error!.Offset);
        Assert.Equal("c-1", results[0].Error!.ActionId);
        Assert.Equal("FullyBooted", ((AmiEvent)results[1].Message!).Name);
        Assert.Equal("c-2", results[2].Message!.ActionId);
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void A_follows_body_over_the_line_limit_without_its_end_marker_stops_being_skipped_at_the_next_message(int chunk)
    {
        var options = NoBanner with { MaxHeaderCount = 4 };
        var body = string.Concat(Enumerable.Range(1, 50).Select(i => $"output line {i} that goes on for a while\n"));

        var results = Read("Response: Follows\r\nPrivilege: Command\r\n" + body + "\r\n" + After, options, chunk);

        Assert.Equal(3, results.Count);
        Assert.Equal(AmiProtocolError.TooManyHeaders, results[0].Error!.Error);
        Assert.Equal("FullyBooted", ((AmiEvent)results[1].Message!).Name);
        Assert.Equal("c-2", results[2].Message!.ActionId);
    }

    [Fact]
    public void A_blank_line_inside_a_follows_body_followed_by_ordinary_output_stays_output()
    {
        var message = Single("Response: Follows\r\nPrivilege: Command\r\nfirst\n\nEvent counts: 3\n--END COMMAND--\r\n\r\n");

        Assert.Equal(["first", "", "Event counts: 3"], message.Output);
    }

    private static List<AmiReadResult> Read(string text, AmiReaderOptions options, int chunk)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return chunk == 0
            ? ReadAll(bytes, options)
            : Feed(new AmiMessageReader(options), bytes.Chunk(chunk), out _, out _);
    }
}
