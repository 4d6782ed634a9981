using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

/// <summary>A server streaming list items without end, or faster than the observer takes them, cannot grow memory without bound.</summary>
public sealed class AmiClientEventListLimitTests
{
    [Fact]
    public async Task A_list_longer_than_the_item_limit_fails_with_a_limit_error_in_both_forms_and_the_connection_goes_on()
    {
        await using var harness = new ClientHarness(o => o with { MaxEventListItems = 3 });
        var server = await harness.ConnectAsync();

        var task = harness.Client.SendEventListAsync(new AmiAction("CoreShowChannels"));
        var observable = harness.Client.SendEventList(new AmiAction("CoreShowChannels")).ToList().ToTask();
        for (var i = 0; i < 2; i++)
        {
            var request = await server.NextActionAsync();
            await server.RespondAsync(request, "Success", ("EventList", "start"));
            await server.SendRawAsync(Items(request.ActionId!, 10));
        }

        var error = await Assert.ThrowsAsync<AmiLimitExceededException>(() => task.WaitAsync(FakeAmiServer.Safety));
        Assert.Equal(("MaxEventListItems", 3L), (error.LimitName, error.Limit));
        Assert.Contains("more than 3 items", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AmiLimitExceededException>(() => observable.WaitAsync(FakeAmiServer.Safety));
        server.AutoPong = true;
        Assert.Equal("Pong", (await harness.Client.SendAsync(new AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety))["Ping"]);
    }

    [Fact]
    public async Task A_slow_observer_of_a_streamed_list_holds_up_the_read_loop_instead_of_piling_items_up()
    {
        await using var harness = new ClientHarness(o => o with { EventBufferCapacity = 10 });
        var server = await harness.ConnectAsync();
        var backpressure = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var gate = new ManualResetEventSlim();
        var firstItem = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.BackpressureStarted = () => backpressure.TrySetResult();

        var listing = harness.Client.SendEventList(new AmiAction("CoreShowChannels"))
            .Do(_ =>
            {
                firstItem.TrySetResult();
                gate.Wait(FakeAmiServer.Safety);
            })
            .Select(e => e["Channel"])
            .ToList().ToTask();
        var request = await server.NextActionAsync();
        await server.RespondAsync(request, "Success", ("EventList", "start"));

        // The rest only once the observer is blocked on the first item: the read loop's first wait
        // for room is then the one that lasts until the gate opens. (A wait before the observer
        // blocked would end as soon as it took an item, re-arming the list's timeout, and advancing
        // the clock then would time the list out.)
        await server.SendRawAsync(Items(request.ActionId!, 1));
        await firstItem.Task.WaitAsync(FakeAmiServer.Safety);
        Assert.False(backpressure.Task.IsCompleted);
        await server.SendRawAsync(Items(request.ActionId!, 100, first: 2) + Completion(request.ActionId!, 100));
        await backpressure.Task.WaitAsync(FakeAmiServer.Safety);
        harness.Scheduler.AdvanceBy(TimeSpan.FromMinutes(1).Ticks); // no list timeout while the observer is behind
        gate.Set();

        var channels = await listing.WaitAsync(FakeAmiServer.Safety);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => $"SIP/{i}"), channels);
    }

    [Fact]
    public async Task Unsubscribing_from_a_streamed_list_the_read_loop_waits_for_releases_it_and_the_connection_goes_on()
    {
        await using var harness = new ClientHarness(o => o with { EventBufferCapacity = 10 });
        var server = await harness.ConnectAsync();
        var backpressure = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.BackpressureStarted = () => backpressure.TrySetResult();
        using var gate = new ManualResetEventSlim();
        var firstItem = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var subscription = harness.Client.SendEventList(new AmiAction("CoreShowChannels")).Subscribe(
            _ =>
            {
                firstItem.TrySetResult();
                gate.Wait(FakeAmiServer.Safety);
            },
            _ => { });
        var request = await server.NextActionAsync();
        await server.RespondAsync(request, "Success", ("EventList", "start"));
        await server.SendRawAsync(Items(request.ActionId!, 100));
        await firstItem.Task.WaitAsync(FakeAmiServer.Safety);
        await backpressure.Task.WaitAsync(FakeAmiServer.Safety);

        subscription.Dispose();
        gate.Set();
        server.AutoPong = true;

        Assert.Equal("Pong", (await harness.Client.SendAsync(new AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety))["Ping"]);
        Assert.Equal(AmiConnectionStatus.Connected, harness.Client.State.Status);
    }

    private static string Items(string actionId, int last, int first = 1)
    {
        var text = new StringBuilder();
        for (var i = first; i <= last; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"Event: CoreShowChannel\r\nActionID: {actionId}\r\nChannel: SIP/{i}\r\n\r\n");
        }

        return text.ToString();
    }

    private static string Completion(string actionId, int count) =>
        $"Event: CoreShowChannelsComplete\r\nActionID: {actionId}\r\nEventList: Complete\r\nListItems: {count}\r\n\r\n";
}
