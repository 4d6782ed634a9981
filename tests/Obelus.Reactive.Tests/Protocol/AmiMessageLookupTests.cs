using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Protocol.ReaderDriver;

namespace Obelus.Reactive.Tests.Protocol;

public sealed class AmiMessageLookupTests
{
    private const string Newchannel =
        "Event: Newchannel\r\nPrivilege: call,all\r\nChannel: PJSIP/100-00000001\r\nChannelState: 0\r\n" +
        "ChannelStateDesc: Down\r\nCallerIDNum: 100\r\nCallerIDName: Zoë\r\nContext: default\r\nExten: 200\r\n" +
        "Uniqueid: 1795682160.96\r\nLinkedid: 1795682160.96\r\nX-Custom: yes\r\n\r\n";

    [Fact]
    public void Checks_and_lookups_of_frequent_values_allocate_nothing()
    {
        var message = (AmiEvent)Single(Newchannel);
        Exercise(message);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = Exercise(message);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(7, found);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Frequent_values_and_known_names_are_shared_instances()
    {
        var first = (AmiEvent)Single(Newchannel);
        var second = (AmiEvent)Single(Newchannel);

        Assert.Same(first.Name, second.Name);
        Assert.Same(first["ChannelStateDesc"], second["ChannelStateDesc"]);
        Assert.Same(first[3].Name, second[3].Name);
        Assert.Equal("1795682160.96", first["UNIQUEID"]);
        Assert.NotSame(first["Uniqueid"], second["Uniqueid"]);
    }

    [Fact]
    public void Lookup_ignores_ascii_case_but_not_length_or_other_letters()
    {
        var message = Single(Newchannel);

        Assert.Equal("PJSIP/100-00000001", message["cHaNnEl"]);
        Assert.Null(message["Channe"]);
        Assert.Null(message["Channels"]);
        Assert.Null(message["Dhannel"]);
        Assert.Null(message["Channel@"]);
        Assert.Null(message[""]);
        Assert.Equal("yes", message["x-custom"]);
        Assert.Equal("Zoë", message["CallerIDName"]);
        Assert.True(message.HeaderEquals("channelstatedesc", "DOWN"));
        Assert.False(message.HeaderEquals("ChannelStateDesc", "Dow"));
        Assert.False(message.HeaderEquals("CallerIDName", "ZOË"));
        Assert.False(message.HeaderEquals("Missing", "Down"));
    }

    private static int Exercise(AmiEvent message)
    {
        var found = 0;
        found += message.Is("newchannel") ? 1 : 0;
        found += message.HeaderEquals("channelstatedesc", "down") ? 1 : 0;
        found += message.Contains("LINKEDID") ? 1 : 0;
        found += message.Contains("Nope") ? 0 : 1;
        found += message.TryGetValue("Privilege", out var privilege) && privilege == "call,all" ? 1 : 0;
        found += message["ChannelState"] == "0" ? 1 : 0;
        found += message.Name == "Newchannel" ? 1 : 0;
        return found;
    }
}
