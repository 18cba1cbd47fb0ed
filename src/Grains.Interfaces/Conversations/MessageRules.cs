using Chat.Grains.Errors;

namespace Chat.Grains.Conversations;

/// <summary>What a client may send, checked by the frontend at the edge and by the grain before it writes.</summary>
public static partial class MessageRules
{
    public static readonly IReadOnlySet<string> ClientContentTypes = new HashSet<string>(StringComparer.Ordinal) { "text", "image", "file" };
    public static readonly IReadOnlySet<string> Formats = new HashSet<string>(StringComparer.Ordinal) { "plain", "markdown" };

    /// <summary>A reaction is one emoji (one grapheme cluster) or a <c>:shortcode:</c> of a custom emoji.</summary>
    public static void ValidateEmoji(string? emoji)
    {
        var valid = !string.IsNullOrEmpty(emoji) && emoji.Length <= 32 && !emoji.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            && (new System.Globalization.StringInfo(emoji).LengthInTextElements == 1
                || System.Text.RegularExpressions.Regex.IsMatch(emoji, "^:[a-z0-9_+-]{1,30}:$"));
        if (!valid)
        {
            throw ChatException.Validation("emoji must be one emoji or a :shortcode:.");
        }
    }

    /// <summary>A new emoji on a message needs room for it; one already there can always be joined or left.</summary>
    public static void RequireRoomForReaction(IReadOnlyList<Reaction> reactions, string emoji, ChatLimits limits)
    {
        if (reactions.Count >= limits.MaxReactionsPerMessage && !reactions.Any(r => r.Emoji == emoji))
        {
            throw ChatException.Conflict($"A message holds at most {limits.MaxReactionsPerMessage} different reactions.");
        }
    }

    /// <summary>New content for an edit, trimmed as it will be stored: the content rules of the message's type.</summary>
    public static string ValidateEdit(string contentType, string? content, ChatLimits limits) =>
        content is null ? throw ChatException.Validation("content is required.") : ValidContent(contentType, content, limits);

    /// <summary>The usernames <c>@mentioned</c> in a text, lower-cased, without duplicates.</summary>
    public static IReadOnlyList<string> MentionedUsernames(string? content) =>
        content is null ? [] : [.. MentionPattern().Matches(content).Select(m => m.Groups[1].Value.ToLowerInvariant()).Distinct()];

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\w@])@([A-Za-z0-9_.-]{3,32})(?<!\.)")]
    private static partial System.Text.RegularExpressions.Regex MentionPattern();

    /// <summary>The request as it will be stored (content trimmed, so padding never reaches storage), or VALIDATION_ERROR.</summary>
    public static SendMessageRequest Validate(SendMessageRequest request, ChatLimits limits)
    {
        if (string.IsNullOrWhiteSpace(request.ClientMessageId) || request.ClientMessageId.Length > limits.MaxClientMessageIdLength)
        {
            throw ChatException.Validation($"clientMessageId is required, at most {limits.MaxClientMessageIdLength} characters.");
        }

        if (!ClientContentTypes.Contains(request.ContentType))
        {
            throw ChatException.Validation("contentType must be \"text\", \"image\" or \"file\".");
        }

        var content = ValidContent(request.ContentType, request.Content ?? "", limits);
        var attachments = request.AttachmentIds.IsDefault ? [] : request.AttachmentIds;
        if (request.ContentType != "text" && attachments.Length == 0)
        {
            throw ChatException.Validation($"A message of type {request.ContentType} needs attachmentIds.");
        }

        if (attachments.Length > limits.MaxAttachmentsPerMessage || attachments.Distinct().Count() != attachments.Length)
        {
            throw ChatException.Validation($"attachmentIds lists at most {limits.MaxAttachmentsPerMessage} distinct attachments.");
        }

        if (!Formats.Contains(request.Format))
        {
            throw ChatException.Validation("format must be \"plain\" or \"markdown\".");
        }

        return request with { Content = content };
    }

    /// <summary>Text needs words; an image or file message needs its attachments and may carry a caption.</summary>
    private static string ValidContent(string contentType, string content, ChatLimits limits)
    {
        var trimmed = content.Trim();
        var minLength = contentType == "text" ? 1 : 0;
        if (trimmed.Length < minLength || trimmed.Length > limits.MaxContentLength)
        {
            throw ChatException.Validation($"content must be {minLength}-{limits.MaxContentLength} characters after trimming.");
        }

        if (!TextRules.IsCleanText(trimmed))
        {
            throw ChatException.Validation("content may not hold control characters other than line breaks and tabs, or broken surrogate pairs.");
        }

        return trimmed;
    }
}
