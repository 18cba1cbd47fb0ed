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
            if (members.TryGetValue(userId, out var member))
            {
                var read = Math.Max(member.ReadSeq, mark.Read);
                var delivered = Math.Max(Math.Max(member.DeliveredSeq, mark.Delivered), read);
                if (read != member.ReadSeq || delivered != member.DeliveredSeq)
                {
                    moved.Add(member with { DeliveredSeq = delivered, ReadSeq = read });
                }
            }
        }

        return moved.ToImmutable();
    }

    /// <summary>Where every member stands: the lowest watermarks among them.</summary>
    public static ReceiptsSummary Summarize(IReadOnlyCollection<ConversationMember> members) =>
        members.Count == 0 ? new(0, 0) : new(members.Min(m => m.DeliveredSeq), members.Min(m => m.ReadSeq));

    /// <summary>A member's furthest received and read seq.</summary>
    public readonly record struct Watermarks(long Delivered, long Read);
}
