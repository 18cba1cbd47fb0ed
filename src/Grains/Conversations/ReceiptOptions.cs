namespace Chat.Grains.Conversations;

/// <summary>How a conversation stores and tells receipts, configurable under <c>Chat:Receipts</c>.</summary>
public sealed class ReceiptOptions
{
    public const string Section = "Chat:Receipts";

    /// <summary>
    /// Conversations of up to this many members tell every member each member's receipts (<c>receiptsChanged</c>);
    /// bigger groups tell a summary (<c>receiptsSummaryChanged</c>), since each receipt told to every member costs
    /// the square of the group's size per message.
    /// </summary>
    public int DetailedUpTo { get; set; } = 50;

    /// <summary>A big group stores and tells its receipts at most once per interval, all those that arrived in it together.</summary>
    public TimeSpan SummaryInterval { get; set; } = TimeSpan.FromSeconds(1);
}
