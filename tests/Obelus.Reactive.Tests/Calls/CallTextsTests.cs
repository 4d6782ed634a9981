using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Calls;

public class CallTextsTests
{
    [Theory]
    [InlineData("ANSWER")]
    [InlineData("NOANSWER")]
    [InlineData("CHANUNAVAIL")]
    public void A_documented_dial_status_is_one_shared_string(string status)
    {
        var first = CallTexts.DialStatusOf(DialEnd(status));
        var second = CallTexts.DialStatusOf(DialEnd(status));

        Assert.Equal(status, first);
        Assert.Same(first, second);
    }

    [Theory]
    [InlineData("answer")]
    [InlineData("RINGING-ELSEWHERE")]
    [InlineData("")]
    public void Any_other_dial_status_is_kept_as_it_came(string status)
    {
        Assert.Equal(status, CallTexts.DialStatusOf(DialEnd(status)));
    }

    [Fact]
    public void No_dial_status_header_is_null()
    {
        Assert.Null(CallTexts.DialStatusOf(AmiEvent.Create("DialEnd", ("Uniqueid", "1764590400.1"))));
    }

    private static AmiEvent DialEnd(string status) =>
        AmiEvent.Create("DialEnd", ("Uniqueid", "1764590400.1"), ("DestUniqueid", "1764590400.2"), ("DialStatus", status));
}
