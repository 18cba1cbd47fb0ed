using System.Collections.Concurrent;
using Chat.Grains.Conversations;
using Chat.Grains.Presence;
using Chat.Grains.Streams;
using Chat.Testing;
using Orleans.Streams;

namespace Chat.ClusterTests;

[Collection(ClusterCollection.Name)]
public sealed class PresenceTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ASessionWithoutHeartbeatsExpiresAndTheUserGoesOffline()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var offline = new TaskCompletionSource<PresenceStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = fixture.Client.GetStreamProvider(ChatStreams.Provider).GetStream<ConversationEvent>(ChatStreams.Conversation(conversation.GetPrimaryKey()));
        var subscription = await stream.SubscribeAsync((e, _) =>
        {
            if (e is PresenceEvent { Presence: { Status: PresenceStates.Offline } p } && p.UserId == users[1])
            {
                offline.TrySetResult(p);
            }

            return Task.CompletedTask;
        });
        var presence = fixture.Client.GetGrain<IPresenceGrain>(users[1]);

        await presence.ConnectAsync("phone", "frontend-that-will-crash");
        await presence.ConnectAsync("laptop", "frontend-that-will-crash");
        var online = await presence.GetAsync(users[0]);
        await presence.DisconnectAsync("laptop");
        var stillOnline = await presence.GetAsync(users[0]); // the phone session lives on
        var expired = await offline.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await subscription.UnsubscribeAsync();

        Assert.Equal(PresenceStates.Online, online.Status);
        Assert.Equal(PresenceStates.Online, stillOnline.Status);
        Assert.Equal(PresenceStates.Offline, (await presence.GetAsync(users[0])).Status);
        Assert.NotNull(expired.LastSeenAt);
    }

    [Fact]
    public async Task AStatusToggledInABurstReachesTheConversationsOnceASecondAtMost()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var events = new List<PresenceStatus>();
        var stream = fixture.Client.GetStreamProvider(ChatStreams.Provider).GetStream<ConversationEvent>(ChatStreams.Conversation(conversation.GetPrimaryKey()));
        var subscription = await stream.SubscribeAsync((e, _) =>
        {
            if (e is PresenceEvent { Presence: var p } && p.UserId == users[1])
            {
                lock (events)
                {
                    events.Add(p);
                }
            }

            return Task.CompletedTask;
        });
        var presence = fixture.Client.GetGrain<IPresenceGrain>(users[1]);
        await presence.ConnectAsync("c1", "node");
        for (var i = 0; i < 30; i++)
        {
            await presence.SetStatusAsync(i % 2 == 0 ? PresenceStates.Busy : PresenceStates.Online, $"toggle {i}");
            await presence.HeartbeatAsync(["c1"], "node", DateTimeOffset.UtcNow); // the fixture expires sessions after 2 s
        }

        await presence.SetStatusAsync(PresenceStates.Busy, "final");
        List<PresenceStatus> Seen()
        {
            lock (events)
            {
                return [.. events];
            }
        }

        var seen = await Poll.UntilAsync(() => Task.FromResult(Seen()), e => e.Any(p => p.CustomStatus == "final"), TimeSpan.FromSeconds(10), "the burst's last state");
        await subscription.UnsubscribeAsync();
        await presence.DisconnectAsync("c1");

        var untilFinal = seen.TakeWhile(p => p.CustomStatus != "final").Count() + 1;
        Assert.InRange(untilFinal, 1, 3); // connecting, then the 31 changes of the burst as one
        Assert.Equal(PresenceStates.Busy, seen.First(p => p.CustomStatus == "final").Status);
    }

    [Fact]
    public async Task ChosenStatusesShowAndInvisibleLooksOffline()
    {
        var (_, users) = await fixture.NewGroupAsync(2);
        var presence = fixture.Client.GetGrain<IPresenceGrain>(users[1]);
        await presence.ConnectAsync("c1", "node");

        await presence.SetStatusAsync(PresenceStates.Busy, "  in a meeting ");
        var busy = await presence.GetAsync(users[0]);
        Assert.Equal((PresenceStates.Busy, "in a meeting"), (busy.Status, busy.CustomStatus));

        await presence.SetStatusAsync(PresenceStates.Invisible, null);
        var invisible = await presence.GetAsync(users[0]);
        Assert.Equal((PresenceStates.Offline, null), (invisible.Status, invisible.CustomStatus));

        await Assert.ThrowsAsync<Chat.Grains.Errors.ChatException>(() => presence.SetStatusAsync("offline", null));
        await presence.SetStatusAsync(PresenceStates.Online, null);
        Assert.Equal(PresenceStates.Online, (await presence.GetAsync(users[0])).Status);
        await presence.DisconnectAsync("c1");
    }

    [Fact]
    public async Task PresenceReachesSmallConversationsButNotGroupsBiggerThanTheLimit()
    {
        var (small, users) = await fixture.NewGroupAsync(ClusterFixture.PresencePushedUpTo);
        var big = fixture.Client.GetGrain<IConversationGrain>(Guid.NewGuid());
        var others = await fixture.NewUsersAsync(ClusterFixture.PresencePushedUpTo);
        await big.CreateGroupAsync(users[1], "big group", null, [users[0], .. others]);
        var smallEvents = new ConcurrentQueue<ConversationEvent>();
        var bigEvents = new ConcurrentQueue<ConversationEvent>();
        var provider = fixture.Client.GetStreamProvider(ChatStreams.Provider);
        var subscriptions = new[]
        {
            await provider.GetStream<ConversationEvent>(ChatStreams.Conversation(small.GetPrimaryKey())).SubscribeAsync((e, _) => Record(smallEvents, e)),
            await provider.GetStream<ConversationEvent>(ChatStreams.Conversation(big.GetPrimaryKey())).SubscribeAsync((e, _) => Record(bigEvents, e)),
        };
        var presence = fixture.Client.GetGrain<IPresenceGrain>(users[1]);

        await presence.ConnectAsync("c1", "node"); // publishes before it returns
        await big.SendAsync(users[0], new SendMessageRequest(Guid.NewGuid().ToString(), "after", "text", "plain", null, []));
        await Poll.UntilAsync(() => Task.FromResult(bigEvents.ToArray()), e => e.Any(x => x is MessageEvent), TimeSpan.FromSeconds(10), "the big group's message");
        await Poll.UntilAsync(() => Task.FromResult(smallEvents.ToArray()), e => e.Any(x => x is PresenceEvent), TimeSpan.FromSeconds(10), "the small group's presence");
        var readByABigGroupMember = await presence.GetAsync(others[0]);
        foreach (var subscription in subscriptions)
        {
            await subscription.UnsubscribeAsync();
        }

        await presence.DisconnectAsync("c1");

        // A stream keeps its order: a presence event published before the message would have arrived before it.
        Assert.DoesNotContain(bigEvents, e => e is PresenceEvent);
        Assert.Contains(smallEvents, e => e is PresenceEvent { Presence.UserId: var id } && id == users[1]);
        Assert.Equal(PresenceStates.Online, readByABigGroupMember.Status); // still theirs to read
    }

    private static Task Record(ConcurrentQueue<ConversationEvent> events, ConversationEvent e)
    {
        events.Enqueue(e);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task OnlyContactsAndCoMembersSeePresenceAndNeverThoseBlocked()
    {
        var (_, users) = await fixture.NewGroupAsync(3);
        var stranger = (await fixture.NewUsersAsync(1))[0];
        var presence = fixture.Client.GetGrain<IPresenceGrain>(users[0]);
        await presence.ConnectAsync("c1", "node");
        await fixture.Client.GetGrain<Chat.Grains.Users.IUserGrain>(users[0]).BlockAsync(users[2]);

        Assert.Equal(PresenceStates.Online, (await presence.GetAsync(users[1])).Status);
        Assert.Equal(PresenceStates.Offline, (await presence.GetAsync(users[2])).Status);
        var hidden = await presence.GetAsync(stranger);
        Assert.Equal((PresenceStates.Offline, null), (hidden.Status, hidden.LastSeenAt));
        await presence.DisconnectAsync("c1");
    }

    [Fact]
    public async Task AUserWhoDoesNothingTurnsAwayAndBackOnlineWithActivity()
    {
        var (_, users) = await fixture.NewGroupAsync(2);
        var presence = fixture.Client.GetGrain<IPresenceGrain>(users[1]);
        await presence.ConnectAsync("c1", "node");
        var connectedAt = DateTimeOffset.UtcNow;

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await presence.GetAsync(users[0])).Status != PresenceStates.Away && DateTime.UtcNow < deadline)
        {
            await presence.HeartbeatAsync(["c1"], "node", connectedAt); // alive, but nothing done since connecting
            await Task.Delay(250); // the grain's own timer decides; nothing to await from here
        }

        Assert.Equal(PresenceStates.Away, (await presence.GetAsync(users[0])).Status);
        await presence.HeartbeatAsync(["c1"], "node", DateTimeOffset.UtcNow);
        Assert.Equal(PresenceStates.Online, (await presence.GetAsync(users[0])).Status);
        await presence.DisconnectAsync("c1");
    }
}
