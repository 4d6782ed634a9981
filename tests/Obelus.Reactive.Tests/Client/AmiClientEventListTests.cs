using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

public sealed class AmiClientEventListTests
{
    [Fact]
    public async Task Event_list_gathers_items_up_to_the_completion_and_keeps_them_off_events()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();
        var published = new List<string>();
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = harness.Client.Events.Subscribe(e =>
        {
            published.Add(e.Name);
            if (e.Name == "Marker")
            {
                marker.TrySetResult();
            }
        });

        var listing = harness.Client.SendEventListAsync(new AmiAction("Status"));
        var request = await server.NextActionAsync();
        var id = request.ActionId!;
        await server.RespondAsync(request, "Success", ("EventList", "start"), ("Message", "Channel status will follow"));
        // Status items carry their ActionID as the last header, as a real Asterisk sends them.
        await server.SendEventAsync("Status", ("Privilege", "Call"), ("Channel", "Local/1000@default-0000003c;2"), ("Variable", "X_TRACK=r1"), ("ActionID", id));
        await server.SendEventAsync("Newexten", ("Uniqueid", "1.1"));
        await server.SendEventAsync("Status", ("Privilege", "Call"), ("Channel", "Local/1000@default-0000003c;1"), ("Variable", "X_TRACK=r1"), ("ActionID", id));
        await server.SendEventAsync("StatusComplete", ("ActionID", id), ("EventList", "Complete"), ("ListItems", "2"), ("Items", "2"));
        await server.SendEventAsync("Marker");

        var list = await listing.WaitAsync(FakeAmiServer.Safety);
        await marker.Task.WaitAsync(FakeAmiServer.Safety);
        Assert.Equal("Channel status will follow", list.Response.Message);
        Assert.Equal(["Local/1000@default-0000003c;2", "Local/1000@default-0000003c;1"], list.Items.Select(i => i["Channel"]));
        Assert.Equal("StatusComplete", list.Completion.Name);
        Assert.Equal(["Newexten", "Marker"], published);
    }

    [Fact]
    public async Task Event_list_observable_streams_the_items_then_completes()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();

        var items = harness.Client.SendEventList(new AmiAction("CoreShowChannels")).ToList().ToTask();
        var request = await server.NextActionAsync();
        await server.RespondAsync(request, "Success", ("EventList", "start"), ("Message", "Channels will follow"));
        await server.SendEventAsync("CoreShowChannel", ("ActionID", request.ActionId!), ("Channel", "a"));
        await server.SendEventAsync("CoreShowChannel", ("ActionID", request.ActionId!), ("Channel", "b"));
        await server.SendEventAsync("CoreShowChannelsComplete", ("ActionID", request.ActionId!), ("EventList", "Complete"), ("ListItems", "2"));

        var result = await items.WaitAsync(FakeAmiServer.Safety);
        Assert.Equal(["a", "b"], result.Select(i => i["Channel"]));
    }

    [Fact]
    public async Task Event_list_with_an_error_response_fails_both_forms()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();

        var task = harness.Client.SendEventListAsync(new AmiAction("Status").Add("Channel", "nope"));
        var observable = harness.Client.SendEventList(new AmiAction("Status").Add("Channel", "nope")).ToList().ToTask();
        for (var i = 0; i < 2; i++)
        {
            var request = await server.NextActionAsync();
            await server.RespondAsync(request, "Error", ("Message", "No such channel"));
        }

        Assert.Equal("No such channel", (await Assert.ThrowsAsync<AmiActionException>(() => task.WaitAsync(FakeAmiServer.Safety))).Response.Message);
        await Assert.ThrowsAsync<AmiActionException>(() => observable.WaitAsync(FakeAmiServer.Safety));
    }

    [Fact]
    public async Task Event_list_timeout_restarts_with_every_item()
    {
        await using var harness = new ClientHarness(o => o with { ActionTimeout = TimeSpan.FromSeconds(10) });
        var server = await harness.ConnectAsync();
        var items = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var count = 0;

        var listing = harness.Client.SendEventList(new AmiAction("CoreShowChannels"))
            .Do(_ =>
            {
                if (Interlocked.Increment(ref count) == 1)
                {
                    items.TrySetResult();
                }
            })
            .ToList().ToTask();
        var request = await server.NextActionAsync();
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(6).Ticks);
        await server.RespondAsync(request, "Success", ("EventList", "start"));
        await server.SendEventAsync("CoreShowChannel", ("ActionID", request.ActionId!), ("Channel", "a"));
        await items.Task.WaitAsync(FakeAmiServer.Safety);

        // 6 s + 9 s is past the first deadline, but the item re-armed the timeout.
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(9).Ticks);
        Assert.False(listing.IsCompleted);
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);
        var error = await Assert.ThrowsAsync<AmiTimeoutException>(() => listing.WaitAsync(FakeAmiServer.Safety));
        Assert.Contains("1 item(s) so far", error.Message, StringComparison.Ordinal);
    }
}
