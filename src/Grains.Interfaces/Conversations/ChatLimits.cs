namespace Chat.Grains.Conversations;

/// <summary>The limits of API.md, configurable under <c>Chat:Limits</c>; enforced at the edge and by the grains.</summary>
public sealed class ChatLimits
{
    public const string Section = "Chat:Limits";

    public int MaxContentLength { get; set; } = 8000;
    public int MaxGroupSize { get; set; } = 1000;
    public int MaxClientMessageIdLength { get; set; } = 100;
    public int MaxGroupNameLength { get; set; } = 100;
    public int MaxDescriptionLength { get; set; } = 1000;
    public int MaxAttachmentsPerMessage { get; set; } = 10;

    /// <summary>How long after sending a sender may edit a message.</summary>
    public TimeSpan EditWindow { get; set; } = TimeSpan.FromMinutes(5);

    public int MaxForwardTargets { get; set; } = 20;

    /// <summary>Distinct emoji on one message; adding to one already there is always allowed.</summary>
    public int MaxReactionsPerMessage { get; set; } = 50;

    /// <summary>Edits of one message (each keeps the earlier version, so this bounds what one message can grow to).</summary>
    public int MaxEditsPerMessage { get; set; } = 50;

    /// <summary>
    /// The largest request body of any route but the uploads (which raise it for themselves): far above the largest
    /// legitimate JSON (an 8,000-character message fully escaped is 48 KB), far below Kestrel's 30 MB default.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>The largest hub message a client may send (SignalR closes the connection of one that is larger).</summary>
    public long MaxHubMessageBytes { get; set; } = 64 * 1024;
}
