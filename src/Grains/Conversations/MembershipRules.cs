namespace Chat.Grains.Conversations;

/// <summary>Who may change whose membership and role in a group, and who inherits it: decisions, no I/O.</summary>
internal static class MembershipRules
{
    /// <summary>Whether a member holds <paramref name="required"/> or a stronger role (owner > admin > member).</summary>
    public static bool HasAtLeast(string role, string required) => Rank(role) >= Rank(required);

    /// <summary>Anyone may leave; the owner removes anyone; an admin removes plain members only.</summary>
    public static bool MayRemove(ConversationMember caller, ConversationMember target) =>
        caller.UserId == target.UserId
        || caller.Role == MemberRoles.Owner
        || (caller.Role == MemberRoles.Admin && target.Role == MemberRoles.Member);

    /// <summary>The roles to write when the owner gives <paramref name="userId"/> a role: one owner, so a new owner demotes the old one to admin.</summary>
    public static IReadOnlyCollection<(Guid UserId, string Role)> RoleChanges(Guid ownerId, Guid userId, string role) =>
        role == MemberRoles.Owner ? [(userId, role), (ownerId, MemberRoles.Admin)] : [(userId, role)];

    /// <summary>Who owns a group its owner left: the longest-standing admin, else the longest-standing member; null when empty.</summary>
    public static Guid? Heir(IEnumerable<ConversationMember> remaining) =>
        remaining.OrderBy(m => m.Role == MemberRoles.Admin ? 0 : 1).ThenBy(m => m.JoinedAt).ThenBy(m => m.UserId)
            .Select(m => (Guid?)m.UserId).FirstOrDefault();

    private static int Rank(string role) => role switch
    {
        MemberRoles.Owner => 2,
        MemberRoles.Admin => 1,
        _ => 0,
    };
}
