using System.Text.Json;
using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.Grains.History;

namespace Chat.ClusterTests;

/// <summary>Group membership, roles and settings through the conversation grain.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupTests(ClusterFixture fixture)
{
    [Fact]
    public async Task MembershipChangesLeaveSystemMessagesInTheLog()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var newcomer = (await fixture.NewUsersAsync(1))[0];
        await conversation.SendAsync(users[0], new SendMessageRequest("m", "before", "text", "plain", null, []));

        var view = await conversation.AddMembersAsync(users[0], [newcomer, users[1]]); // users[1] is already in: skipped
        await conversation.RemoveMemberAsync(users[0], users[1]);
        await conversation.RemoveMemberAsync(newcomer, newcomer);

        Assert.Equal(3, view.Members.Length);
        var log = (await fixture.Client.GetGrain<IHistoryGrain>(0).GetPageAsync(users[0], conversation.GetPrimaryKey(), new HistoryQuery(null, null, null, 50))).Messages;
        var system = log.Where(m => m.ContentType == "system").Select(m => JsonDocument.Parse(m.Content!).RootElement).ToList();
        Assert.Equal(["memberAdded", "memberRemoved", "memberLeft"], system.Select(e => e.GetProperty("event").GetString()));
        Assert.Equal([newcomer, users[1], newcomer], system.Select(e => e.GetProperty("userId").GetGuid()));
        Assert.Equal([users[0], users[0], newcomer], system.Select(e => e.GetProperty("by").GetGuid()));
        await AssertRefusedAsync(ErrorCodes.NotFound, () => conversation.GetAsync(users[1]));
    }

    [Fact]
    public async Task ANewMemberStartsWithNothingUnreadButTheirOwnArrival()
    {
        var (conversation, users) = await fixture.NewGroupAsync(1);
        for (var i = 0; i < 3; i++)
        {
            await conversation.SendAsync(users[0], new SendMessageRequest($"m{i}", "old news", "text", "plain", null, []));
        }

        var newcomer = (await fixture.NewUsersAsync(1))[0];
        await conversation.AddMembersAsync(users[0], [newcomer]);

        Assert.Equal(1, (await conversation.GetAsync(newcomer)).UnreadCount); // the "added" system message
    }

    [Fact]
    public async Task AnOwnerWhoLeavesHandsTheGroupToTheLongestStandingAdmin()
    {
        var (conversation, users) = await fixture.NewGroupAsync(3);
        await conversation.SetRoleAsync(users[0], users[2], MemberRoles.Admin);

        await conversation.RemoveMemberAsync(users[0], users[0]);

        var roles = (await conversation.GetAsync(users[1])).Members.ToDictionary(m => m.UserId, m => m.Role);
        Assert.Equal(MemberRoles.Owner, roles[users[2]]);
        Assert.Equal(MemberRoles.Member, roles[users[1]]);
        Assert.False(roles.ContainsKey(users[0]));
    }

    [Fact]
    public async Task MakingSomeoneOwnerTransfersOwnership()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var view = await conversation.SetRoleAsync(users[0], users[1], MemberRoles.Owner);
        var roles = view.Members.ToDictionary(m => m.UserId, m => m.Role);
        Assert.Equal((MemberRoles.Admin, MemberRoles.Owner), (roles[users[0]], roles[users[1]]));
        await AssertRefusedAsync(ErrorCodes.Forbidden, () => conversation.SetRoleAsync(users[0], users[1], MemberRoles.Member));
        await AssertRefusedAsync(ErrorCodes.Validation, () => conversation.SetRoleAsync(users[1], users[0], "superuser"));
    }

    [Fact]
    public async Task MutingIsPerMemberAndRenamingIsForAdmins()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        Assert.True((await conversation.UpdateAsync(users[1], new ConversationChanges(Muted: true))).Muted);
        Assert.False((await conversation.GetAsync(users[0])).Muted);
        await AssertRefusedAsync(ErrorCodes.Forbidden, () => conversation.UpdateAsync(users[1], new ConversationChanges(Name: "mine")));

        var renamed = await conversation.UpdateAsync(users[0], new ConversationChanges(Name: "Team", Description: "the team"));
        Assert.Equal(("Team", "the team"), (renamed.Name, renamed.Description));

        var direct = fixture.Client.GetGrain<IConversationGrain>(DirectConversationId.For(users[0], users[1]));
        await direct.CreateDirectAsync(users[0], users[1]);
        await AssertRefusedAsync(ErrorCodes.Validation, () => direct.UpdateAsync(users[0], new ConversationChanges(Name: "us")));
        await AssertRefusedAsync(ErrorCodes.Validation, () => direct.RemoveMemberAsync(users[0], users[1]));
        Assert.True((await direct.UpdateAsync(users[0], new ConversationChanges(Muted: true))).Muted);
    }

    private static async Task AssertRefusedAsync(string code, Func<Task> action) =>
        Assert.Equal(code, (await Assert.ThrowsAsync<ChatException>(action)).Code);
}
