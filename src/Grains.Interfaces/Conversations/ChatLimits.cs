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
}
