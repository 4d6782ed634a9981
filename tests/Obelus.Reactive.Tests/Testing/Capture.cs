using System.Buffers;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Testing;

/// <summary>A reference capture from Traces/: what the server sent and what the recorder sent.</summary>
internal sealed class Capture
{
    private Capture(string name, AmiBanner banner, IReadOnlyList<AmiMessage> received, IReadOnlyList<AmiRequest> sent)
    {
        Name = name;
        Banner = banner;
        Received = received;
        Sent = sent;
    }

    public string Name { get; }

    public AmiBanner Banner { get; }

    public IReadOnlyList<AmiMessage> Received { get; }

    public IReadOnlyList<AmiRequest> Sent { get; }

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Traces", file);

    public static Capture Load(string name)
    {
        var received = Parse(File.ReadAllBytes(PathOf(name + ".in.ami")), expectBanner: true);
        var sent = Parse(File.ReadAllBytes(PathOf(name + ".out.ami")), expectBanner: false);
        return new Capture(name, received[0].Banner!, received.Skip(1).Select(r => r.Message!).ToList(), sent.Select(r => (AmiRequest)r.Message!).ToList());
    }

    /// <summary>The recorded action <paramref name="index"/> as an action to send again.</summary>
    public AmiAction Action(int index)
    {
        var request = Sent[index];
        var action = new AmiAction(request.Name) { ActionId = request.ActionId };
        foreach (var header in request.Skip(1))
        {
            if (!header.Name.Equals("ActionID", StringComparison.OrdinalIgnoreCase))
            {
                action.Add(header.Name, header.Value);
            }
        }

        return action;
    }

    /// <summary>The events received after the response to <paramref name="actionId"/>, up to the next response.</summary>
    public List<AmiEvent> EventsAfterResponse(string actionId, bool untilGoodbye = true)
    {
        var start = Received.ToList().FindIndex(m => m is AmiResponse && m.ActionId == actionId);
        Assert.True(start >= 0, $"no response to {actionId} in {Name}");
        var events = new List<AmiEvent>();
        foreach (var message in Received.Skip(start + 1))
        {
            if (message is AmiResponse response && (!untilGoodbye || response.HeaderEquals("Response", "Goodbye")))
            {
                break;
            }

            if (message is AmiEvent e)
            {
                events.Add(e);
            }
        }

        return events;
    }

    private static List<AmiReadResult> Parse(byte[] bytes, bool expectBanner)
    {
        var reader = new AmiMessageReader(new AmiReaderOptions { ExpectBanner = expectBanner });
        var buffer = new ReadOnlySequence<byte>(bytes);
        var items = new List<AmiReadResult>();
        while (reader.TryRead(ref buffer, out var item))
        {
            Assert.Null(item.Error);
            items.Add(item);
        }

        Assert.Null(reader.Complete(buffer));
        return items;
    }
}
