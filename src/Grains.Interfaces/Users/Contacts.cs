namespace Chat.Grains.Users;

/// <summary>The states of one side of a contact relationship.</summary>
public static class ContactStates
{
    public const string Outgoing = "outgoing";
    public const string Incoming = "incoming";
    public const string Accepted = "accepted";
}

/// <summary>Who may add a user to a group. Blocked users never may, whatever this says.</summary>
[GenerateSerializer, Alias("chat.group-add-policy")]
public enum GroupAddPolicy
{
    Anyone,
    Contacts,
}

/// <summary>Another user as seen from one side: the state and since when.</summary>
[GenerateSerializer, Immutable, Alias("chat.contact")]
public sealed record Contact([property: Id(0)] Guid UserId, [property: Id(1)] string State, [property: Id(2)] DateTimeOffset Since);

/// <summary>A report for moderators: about a user, a conversation, or one message (conversation + seq).</summary>
[GenerateSerializer, Immutable, Alias("chat.report")]
public sealed record Report(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ReporterId,
    [property: Id(2)] Guid? UserId,
    [property: Id(3)] Guid? ConversationId,
    [property: Id(4)] long? Seq,
    [property: Id(5)] string Reason,
    [property: Id(6)] DateTimeOffset CreatedAt);
