using Chat.Grains.Conversations;

namespace Chat.UnitTests;

public sealed class MembershipRulesTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow;

    [Theory]
    [InlineData(MemberRoles.Owner, MemberRoles.Admin, true)]
    [InlineData(MemberRoles.Owner, MemberRoles.Member, true)]
    [InlineData(MemberRoles.Admin, MemberRoles.Member, true)]
    [InlineData(MemberRoles.Admin, MemberRoles.Admin, false)]
    [InlineData(MemberRoles.Admin, MemberRoles.Owner, false)]
    [InlineData(MemberRoles.Member, MemberRoles.Member, false)]
    public void AdminsRemoveMembersAndOnlyTheOwnerRemovesAdmins(string callerRole, string targetRole, bool allowed)
    {
        Assert.Equal(allowed, MembershipRules.MayRemove(Member(callerRole, 0), Member(targetRole, 1)));
    }

    [Fact]
    public void AnyoneMayLeave()
    {
        var member = Member(MemberRoles.Member, 0);
        Assert.True(MembershipRules.MayRemove(member, member));
    }

    [Fact]
    public void MakingSomeoneOwnerDemotesTheOwnerToAdmin()
    {
        var (owner, other) = (Guid.NewGuid(), Guid.NewGuid());
        Assert.Equal([(other, MemberRoles.Owner), (owner, MemberRoles.Admin)], MembershipRules.RoleChanges(owner, other, MemberRoles.Owner));
        Assert.Equal([(other, MemberRoles.Admin)], MembershipRules.RoleChanges(owner, other, MemberRoles.Admin));
    }

    [Fact]
    public void TheHeirIsTheLongestStandingAdminElseTheLongestStandingMember()
    {
        var oldMember = Member(MemberRoles.Member, 0);
        var newAdmin = Member(MemberRoles.Admin, 5);
        var oldAdmin = Member(MemberRoles.Admin, 3);
        Assert.Equal(oldAdmin.UserId, MembershipRules.Heir([oldMember, newAdmin, oldAdmin]));
        Assert.Equal(oldMember.UserId, MembershipRules.Heir([Member(MemberRoles.Member, 2), oldMember]));
        Assert.Null(MembershipRules.Heir([]));
    }

    [Fact]
    public void RolesRankOwnerAboveAdminAboveMember()
    {
        Assert.True(MembershipRules.HasAtLeast(MemberRoles.Owner, MemberRoles.Admin));
        Assert.True(MembershipRules.HasAtLeast(MemberRoles.Admin, MemberRoles.Admin));
        Assert.False(MembershipRules.HasAtLeast(MemberRoles.Member, MemberRoles.Admin));
        Assert.False(MembershipRules.HasAtLeast(MemberRoles.Admin, MemberRoles.Owner));
    }

    private static ConversationMember Member(string role, int joinedMinute) =>
        new(Guid.NewGuid(), role, Start.AddMinutes(joinedMinute), 0, 0);
}
