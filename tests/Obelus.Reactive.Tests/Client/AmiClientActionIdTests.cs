using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

/// <summary>Each send of an action is its own exchange: its own ActionID, and the action object is left as built.</summary>
public sealed class AmiClientActionIdTests
{
    [Fact]
    public async Task A_retry_after_a_timeout_gets_its_own_answer_not_the_late_answer_to_the_first_send()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();
        var action = new AmiAction("Getvar").Add("Variable", "EPOCH");

        var first = harness.Client.SendAsync(action);
        var firstRequest = await server.NextActionAsync();
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(10).Ticks);
        await Assert.ThrowsAsync<AmiTimeoutException>(() => first.WaitAsync(FakeAmiServer.Safety));
        var retry = harness.Client.SendAsync(action);
        var retryRequest = await server.NextActionAsync();
        await server.RespondAsync(firstRequest, "Success", ("Value", "late"));
        await server.RespondAsync(retryRequest, "Success", ("Value", "fresh"));

        Assert.Equal("fresh", (await retry.WaitAsync(FakeAmiServer.Safety))["Value"]);
        Assert.NotEqual(firstRequest.ActionId, retryRequest.ActionId);
        Assert.Null(action.ActionId);
    }

    [Fact]
    public async Task Rx_retry_of_a_timed_out_send_completes_with_the_answer_to_the_retry()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();
        var action = new AmiAction("Getvar").Add("Variable", "EPOCH");

        var answer = Observable.FromAsync(ct => harness.Client.SendAsync(action, ct)).Retry(2).ToTask();
        var firstRequest = await server.NextActionAsync();
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(10).Ticks);
        var retryRequest = await server.NextActionAsync();
        await server.RespondAsync(firstRequest, "Success", ("Value", "late"));
        await server.RespondAsync(retryRequest, "Success", ("Value", "fresh"));

        Assert.Equal("fresh", (await answer.WaitAsync(FakeAmiServer.Safety))["Value"]);
    }

    [Fact]
    public async Task Two_subscriptions_to_one_event_list_observable_each_send_the_action_with_their_own_action_id()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();
        var channels = harness.Client.SendEventList(new AmiAction("CoreShowChannels"));

        var first = channels.ToList().ToTask();
        var second = channels.ToList().ToTask();
        var requests = new[] { await server.NextActionAsync(), await server.NextActionAsync() };
        foreach (var request in requests)
        {
            var id = request.ActionId!;
            await server.RespondAsync(request, "Success", ("EventList", "start"));
            await server.SendEventAsync("CoreShowChannel", ("ActionID", id), ("Channel", "for " + id));
            await server.SendEventAsync("CoreShowChannelsComplete", ("ActionID", id), ("EventList", "Complete"), ("ListItems", "1"));
        }

        var lists = new[] { await first.WaitAsync(FakeAmiServer.Safety), await second.WaitAsync(FakeAmiServer.Safety) };
        Assert.NotEqual(requests[0].ActionId, requests[1].ActionId);
        Assert.Equal(
            requests.Select(r => "for " + r.ActionId).Order(),
            lists.Select(l => Assert.Single(l)["Channel"]).Order());
    }
}
