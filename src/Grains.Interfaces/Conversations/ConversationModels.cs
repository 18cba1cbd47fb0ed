using Chat.Grains.Errors;
using System.Collections.Immutable;

namespace Chat.Grains.Conversations;

/// <summary>Conversation kinds of API.md.</summary>
public static class ConversationTypes
{
    public const string Direct = "direct";
    public const string Group = "group";
}

/// <summary>Member roles of API.md, strongest first.</summary>
public static class MemberRoles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Member = "member";
}

[GenerateSerializer, Immutable, Alias("chat.member")]
public sealed record ConversationMember(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string Role,
    [property: Id(2)] DateTimeOffset JoinedAt,
    [property: Id(3)] long ReadSeq,
    [property: Id(4)] long DeliveredSeq,
    [property: Id(5)] bool Muted = false,
    [property: Id(6)] long Version = 0);

/// <summary>A conversation as one of its members sees it (watermarks and unread count are the caller's own).</summary>
[GenerateSerializer, Immutable, Alias("chat.conversation")]
public sealed record ConversationView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string? Name,
    [property: Id(3)] string? Description,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] Guid CreatedBy,
    [property: Id(6)] ImmutableArray<ConversationMember> Members,
    [property: Id(7)] long LastSeq,
    [property: Id(8)] ChatMessage? LastMessage,
    [property: Id(9)] long ReadSeq,
    [property: Id(10)] long DeliveredSeq,
    [property: Id(11)] long UnreadCount,
    [property: Id(12)] long UnreadMentions = 0,
    [property: Id(13)] bool Muted = false,
    [property: Id(14)] Guid? AvatarAttachmentId = null,
    [property: Id(15)] int? DisappearAfterSeconds = null,
    [property: Id(16)] long Version = 0);

/// <summary>Changes to a conversation's settings; null means unchanged.</summary>
[GenerateSerializer, Immutable, Alias("chat.conversation-changes")]
public sealed record ConversationChanges(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] string? Description = null,
    [property: Id(2)] Guid? AvatarAttachmentId = null,
    [property: Id(3)] int? DisappearAfterSeconds = null,
    [property: Id(4)] bool? Muted = null);

/// <summary>What a system message in the log records (its content is this, as JSON).</summary>
[GenerateSerializer, Immutable, Alias("chat.system-event")]
public sealed record SystemEvent(
    [property: Id(0)] string Event,
    [property: Id(1)] Guid By,
    [property: Id(2)] Guid? UserId = null,
    [property: Id(3)] string? Role = null,
    [property: Id(4)] string? Name = null,
    [property: Id(5)] int? Seconds = null);

/// <summary>The <c>event</c> values of system messages.</summary>
public static class SystemEvents
{
    public const string MemberAdded = "memberAdded";
    public const string MemberRemoved = "memberRemoved";
    public const string MemberLeft = "memberLeft";
    public const string RoleChanged = "roleChanged";
    public const string Renamed = "renamed";
    public const string DisappearingChanged = "disappearingChanged";
}

/// <summary>A member's watermarks after a receipt.</summary>
[GenerateSerializer, Immutable, Alias("chat.receipts")]
public sealed record Receipts(
    [property: Id(0)] Guid ConversationId,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] long DeliveredSeq,
    [property: Id(3)] long ReadSeq,
    [property: Id(4)] long Version = 0);

/// <summary>One member's receipt: they received (<c>Read</c> false) or read everything up to <c>Seq</c>.</summary>
[GenerateSerializer, Immutable, Alias("chat.receipt-mark")]
public sealed record ReceiptMark([property: Id(0)] Guid UserId, [property: Id(1)] long Seq, [property: Id(2)] bool Read);

/// <summary>What became of one <see cref="ReceiptMark"/>: stored (moved or already there), or refused.</summary>
public enum ReceiptOutcome
{
    Marked,
    NotMember,
    SeqOutOfRange,
}

public static class ReceiptOutcomes
{
    /// <summary>The error a refused receipt answers with: NOT_FOUND for a non-member, so conversation ids cannot be probed.</summary>
    public static void ThrowIfRefused(this ReceiptOutcome outcome)
    {
        switch (outcome)
        {
            case ReceiptOutcome.NotMember:
                throw ChatException.NotFound("No such conversation.");
            case ReceiptOutcome.SeqOutOfRange:
                throw ChatException.Validation("seq must be between 0 and the conversation's last seq.");
        }
    }
}

/// <summary>
/// Every member has received everything up to <c>DeliveredSeq</c> and read everything up to <c>ReadSeq</c>: what a
/// big group tells its members instead of each member's receipts (API.md's <c>receiptsSummaryChanged</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("chat.receipts-summary")]
public sealed record ReceiptsSummary([property: Id(0)] long DeliveredSeq, [property: Id(1)] long ReadSeq);

/// <summary>Someone joined (<c>Added</c>) or left the conversation at <c>Version</c>; <c>By</c> is who did it.</summary>
[GenerateSerializer, Immutable, Alias("chat.membership-change")]
public sealed record MembershipChange(
    [property: Id(0)] long Version,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] Guid By,
    [property: Id(3)] bool Added);

/// <summary>
/// Everything about a conversation that changed after a version, as it stands now: messages created or changed
/// (ascending by version), members' receipts, the membership log, and the conversation itself when its fields,
/// roles or members changed. <c>Version</c> is where the next call starts; with <c>HasMore</c>, call again from it.
/// <c>InfoVersion</c> is the version of the last change to the conversation's own fields or roles.
/// <c>ReceiptsSummary</c> is set in a big group, whose members are told of receipts by summary only.
/// </summary>
[GenerateSerializer, Immutable, Alias("chat.change-set")]
public sealed record ConversationChangeSet(
    [property: Id(0)] Guid ConversationId,
    [property: Id(1)] long Version,
    [property: Id(2)] ImmutableArray<ChatMessage> Messages,
    [property: Id(3)] ImmutableArray<Receipts> Receipts,
    [property: Id(4)] ImmutableArray<MembershipChange> Membership,
    [property: Id(5)] ConversationView? Conversation,
    [property: Id(6)] bool IsMember,
    [property: Id(7)] bool HasMore,
    [property: Id(8)] long InfoVersion = 0,
    [property: Id(9)] ReceiptsSummary? ReceiptsSummary = null)
{
    /// <summary>What a caller who is not (or no longer) a member gets: nothing but that fact.</summary>
    public static ConversationChangeSet NotMember(Guid conversationId, long since) => new(conversationId, since, [], [], [], null, false, false);
}
