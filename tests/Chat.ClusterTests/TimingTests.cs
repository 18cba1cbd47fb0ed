using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.Grains.History;

namespace Chat.ClusterTests;

/// <summary>Scheduled and disappearing messages, driven by the conversation's reminder.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TimingTests(ClusterFixture fixture)
{
    private IHistoryGrain History => fixture.Client.GetGrain<IHistoryGrain>(0);

    [Fact]
    public async Task AScheduledMessageIsPostedWhenDueAndACancelledOneNever()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var id = conversation.GetPrimaryKey();
        var due = DateTimeOffset.UtcNow.AddSeconds(2);
        var kept = await conversation.ScheduleAsync(users[0], Text("later", "good morning"), due);
        var again = await conversation.ScheduleAsync(users[0], Text("later", "good morning"), due); // a retried request
        var cancelled = await conversation.ScheduleAsync(users[0], Text("never", "oops"), due);
        await conversation.CancelScheduledAsync(users[0], cancelled.Id);

        Assert.Equal(kept.Id, again.Id);
        Assert.Equal([kept.Id], (await conversation.GetScheduledAsync(users[0])).Select(s => s.Id));
        Assert.Empty(await conversation.GetScheduledAsync(users[1])); // one's own only

        var posted = await WaitForAsync(async () => (await History.GetAfterAsync(users[1], id, 0, 10)).SingleOrDefault());
        Assert.Equal(("good morning", users[0]), (posted.Content, posted.SenderId));
        Assert.True(posted.CreatedAt >= due.AddMilliseconds(-1));
        Assert.Single(await History.GetAfterAsync(users[1], id, 0, 10)); // the cancelled one, due in the same tick, was not posted
        Assert.Empty(await conversation.GetScheduledAsync(users[0]));
        await AssertRefusedAsync(ErrorCodes.NotFound, () => conversation.CancelScheduledAsync(users[0], kept.Id));
    }

    [Fact]
    public async Task ALaterScheduleOnAFreshActivationDoesNotPostponeAnEarlierOne()
    {
        var (conversation, users) = await fixture.NewGroupAsync(1);
        var id = conversation.GetPrimaryKey();
        await conversation.ScheduleAsync(users[0], Text("soon", "in three seconds"), DateTimeOffset.UtcNow.AddSeconds(3));
        // A new activation knows nothing of the reminder the old one set.
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await conversation.ScheduleAsync(users[0], Text("late", "in an hour"), DateTimeOffset.UtcNow.AddHours(1));

        var posted = await WaitForAsync(async () => (await History.GetAfterAsync(users[0], id, 0, 10)).SingleOrDefault());
        Assert.Equal("in three seconds", posted.Content);
    }

    [Fact]
    public async Task SchedulingIsCheckedLikeASend()
    {
        var (conversation, users) = await fixture.NewGroupAsync(1);
        var outsider = (await fixture.NewUsersAsync(1))[0];
        await AssertRefusedAsync(ErrorCodes.Validation, () => conversation.ScheduleAsync(users[0], Text("past", "too late"), DateTimeOffset.UtcNow.AddSeconds(-1)));
        await AssertRefusedAsync(ErrorCodes.Validation, () => conversation.ScheduleAsync(users[0], Text("empty", " "), DateTimeOffset.UtcNow.AddMinutes(1)));
        await AssertRefusedAsync(ErrorCodes.NotFound, () => conversation.ScheduleAsync(outsider, Text("x", "hi"), DateTimeOffset.UtcNow.AddMinutes(1)));
    }

    [Fact]
    public async Task MessagesSentWhileDisappearingIsOnExpireIntoTombstones()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var id = conversation.GetPrimaryKey();
        var before = (await conversation.SendAsync(users[0], Text("b", "stays"))).Message;
        await AssertRefusedAsync(ErrorCodes.Forbidden, () => conversation.UpdateAsync(users[1], new ConversationChanges(DisappearAfterSeconds: 2)));
        var view = await conversation.UpdateAsync(users[0], new ConversationChanges(DisappearAfterSeconds: 2));
        var brief = (await conversation.SendAsync(users[1], Text("d", "gone soon"))).Message;

        Assert.Equal(2, view.DisappearAfterSeconds);
        Assert.Null(before.ExpiresAt);
        Assert.Equal(brief.CreatedAt.AddSeconds(2), brief.ExpiresAt);
        var expired = await WaitForAsync(async () => await History.GetMessageAsync(users[0], id, brief.Seq) is { IsDeleted: true } m ? m : null);
        Assert.Null(expired.Content);
        Assert.Equal("stays", (await History.GetMessageAsync(users[0], id, before.Seq)).Content);

        await conversation.UpdateAsync(users[0], new ConversationChanges(DisappearAfterSeconds: 0));
        Assert.Null((await conversation.SendAsync(users[1], Text("k", "kept"))).Message.ExpiresAt);
        await AssertRefusedAsync(ErrorCodes.Validation, () => conversation.UpdateAsync(users[0], new ConversationChanges(DisappearAfterSeconds: -5)));
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(200); // the reminder fires inside the silo: nothing to await from here
        }

        throw new TimeoutException("Not within 30 s.");
    }

    private static SendMessageRequest Text(string clientMessageId, string content) => new(clientMessageId, content, "text", "plain", null, []);

    private static async Task AssertRefusedAsync(string code, Func<Task> action) =>
        Assert.Equal(code, (await Assert.ThrowsAsync<ChatException>(action)).Code);
}
