using System.Collections.Immutable;

namespace Chat.Grains.Conversations;

/// <summary>
/// Receipts waiting for their conversation's next flush: per member, the furthest seq received and read that was
/// asked for, and one task that the flush carrying them completes. The rules of what a flush moves live here too,
/// beside the grain that orders the I/O.
/// </summary>
internal sealed class PendingReceipts
{
    private Dictionary<Guid, Watermarks> _marks = [];
    private TaskCompletionSource _stored = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsEmpty => _marks.Count == 0;

    /// <summary>Adds a receipt to the next flush; the task completes, or fails, with that flush.</summary>
    public Task Add(ReceiptMark mark)
    {
        var known = _marks.GetValueOrDefault(mark.UserId);
        _marks[mark.UserId] = new(Math.Max(known.Delivered, mark.Seq), mark.Read ? Math.Max(known.Read, mark.Seq) : known.Read);
        return _stored.Task;
    }

    /// <summary>Puts back what a failed flush took, merged with what arrived since.</summary>
    public void Return(IReadOnlyDictionary<Guid, Watermarks> marks)
    {
        foreach (var (userId, mark) in marks)
        {
            var known = _marks.GetValueOrDefault(userId);
            _marks[userId] = new(Math.Max(known.Delivered, mark.Delivered), Math.Max(known.Read, mark.Read));
        }
    }

    /// <summary>Where a member's pending receipts would take their watermarks, or null when none are pending.</summary>
    public Watermarks? Of(Guid userId) => _marks.TryGetValue(userId, out var mark) ? mark : null;

    /// <summary>Everything pending, for one flush; what is added from now on waits for the next.</summary>
    public (IReadOnlyDictionary<Guid, Watermarks> Marks, TaskCompletionSource Stored) Take()
    {
        var taken = (_marks, _stored);
        (_marks, _stored) = ([], new(TaskCreationOptions.RunContinuationsAsynchronously));
        return taken;
    }

    /// <summary>
    /// The members whose watermarks <paramref name="marks"/> move, moved: reading implies delivery and nothing ever
    /// moves back. Members the marks leave where they were, and users who are no longer members, are left out.
    /// </summary>
    public static ImmutableArray<ConversationMember> Advance(IReadOnlyDictionary<Guid, Watermarks> marks, IReadOnlyDictionary<Guid, ConversationMember> members)
    {
        var moved = ImmutableArray.CreateBuilder<ConversationMember>();
        foreach (var (userId, mark) in marks)
        {
            if (members.TryGetValue(userId, out var member) && Apply(member, mark) is var after && after != member)
            {
                moved.Add(after);
            }
        }

        return moved.ToImmutable();
    }

    /// <summary>The member with <paramref name="mark"/> applied: reading implies delivery, and nothing moves back.</summary>
    public static ConversationMember Apply(ConversationMember member, Watermarks mark)
    {
        var read = Math.Max(member.ReadSeq, mark.Read);
        var delivered = Math.Max(Math.Max(member.DeliveredSeq, mark.Delivered), read);
        return read == member.ReadSeq && delivered == member.DeliveredSeq ? member : member with { DeliveredSeq = delivered, ReadSeq = read };
    }

    /// <summary>Where every member stands: the lowest watermarks among them.</summary>
    public static ReceiptsSummary Summarize(IReadOnlyCollection<ConversationMember> members) =>
        members.Count == 0 ? new(0, 0) : new(members.Min(m => m.DeliveredSeq), members.Min(m => m.ReadSeq));

    /// <summary>A member's furthest received and read seq.</summary>
    public readonly record struct Watermarks(long Delivered, long Read);
}
