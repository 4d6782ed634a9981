using Obelus.Reactive.Cli.Rendering;
using Xunit;

namespace Obelus.Reactive.Tests.Cli;

public class CallBoardTests
{
    [Fact]
    public void A_status_is_announced_once_for_each_new_text()
    {
        // watch sets the status it shows in its first line before it listens to the connection,
        // whose current state comes again on subscribe: that must not print a second line.
        var board = new CallBoard { Status = "connected to pbx:5038" };
        var announced = new List<string>();
        board.StatusChanged += announced.Add;

        board.Status = "connected to pbx:5038";
        board.Status = "connection to pbx:5038 lost; reconnecting in 1.0 s (attempt 1)";
        board.Status = "connection to pbx:5038 lost; reconnecting in 1.0 s (attempt 1)";
        board.Status = "connected to pbx:5038";

        Assert.Equal(["connection to pbx:5038 lost; reconnecting in 1.0 s (attempt 1)", "connected to pbx:5038"], announced);
        Assert.Equal("connected to pbx:5038", board.Status);
    }
}
