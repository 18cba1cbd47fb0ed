using Chat.Grains.Conversations;
using Chat.Grains.Presence;
using Chat.Grains.Streams;
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
        var online = await presence.GetAsync();
        await presence.DisconnectAsync("laptop");
        var stillOnline = await presence.GetAsync(); // the phone session lives on
        var expired = await offline.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await subscription.UnsubscribeAsync();

        Assert.Equal(PresenceStates.Online, online.Status);
        Assert.Equal(PresenceStates.Online, stillOnline.Status);
        Assert.Equal(PresenceStates.Offline, (await presence.GetAsync()).Status);
        Assert.NotNull(expired.LastSeenAt);
    }
}
