using System.Buffers;
using System.Text;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Protocol.ReaderDriver;

namespace Obelus.Reactive.Tests.Protocol;

/// <summary>Only a greeting shaped like an AMI server's is taken for one; anything else is an invalid banner, reported at once.</summary>
public sealed class AmiMessageReaderBannerTests
{
    [Theory]
    [InlineData("Asterisk Call Manager/11.0.0", "11.0.0")]
    [InlineData("Asterisk Call Manager/2.10.4", "2.10.4")]
    [InlineData("Asterisk Call Manager/7.0.3-rc1", "7.0.3-rc1")]
    public void Greetings_of_ami_servers_are_read_as_banners(string line, string version)
    {
        var results = ReadAll(Encoding.ASCII.GetBytes(line + "\r\n"), AmiReaderOptions.Default);

        Assert.Equal(version, Assert.Single(results).Banner!.Version);
    }

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request")]
    [InlineData("HTTP/1.0 404 Not Found")]
    [InlineData("Asterisk Call Manager/")]
    [InlineData("/1.0")]
    [InlineData("Server/abc")]
    [InlineData("   /1.0")]
    [InlineData("\u0016\u0003\u0001\u0002\u0000/1\u0001\u00fc")]
    [InlineData("Asterisk Call Manager/11.0.0\u001b[2J")]
    public void Lines_that_merely_hold_a_slash_are_invalid_banners(string line)
    {
        var results = ReadAll(Encoding.UTF8.GetBytes(line + "\r\n"), AmiReaderOptions.Default);

        Assert.Equal(AmiProtocolError.InvalidBanner, Assert.Single(results).Error!.Error);
    }

    [Fact]
    public void A_greeting_without_a_line_end_is_an_invalid_banner_once_past_the_banner_length()
    {
        var reader = new AmiMessageReader();
        var input = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('A', 258)));

        Assert.True(reader.TryRead(ref input, out var result));

        Assert.Equal(AmiProtocolError.InvalidBanner, result.Error!.Error);
        Assert.Contains("256", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_greeting_without_a_line_end_is_awaited_up_to_the_banner_length()
    {
        var reader = new AmiMessageReader();
        var input = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('A', 257)));

        Assert.False(reader.TryRead(ref input, out _));
    }
}
