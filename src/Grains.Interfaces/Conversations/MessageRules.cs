using Chat.Grains.Errors;

namespace Chat.Grains.Conversations;

/// <summary>What a client may send, checked by the frontend at the edge and by the grain before it writes.</summary>
public static class MessageRules
{
    public static readonly IReadOnlySet<string> ClientContentTypes = new HashSet<string>(StringComparer.Ordinal) { "text", "image", "file" };
    public static readonly IReadOnlySet<string> Formats = new HashSet<string>(StringComparer.Ordinal) { "plain", "markdown" };

    public static void Validate(SendMessageRequest request, ChatLimits limits)
    {
        if (string.IsNullOrWhiteSpace(request.ClientMessageId) || request.ClientMessageId.Length > limits.MaxClientMessageIdLength)
        {
            throw ChatException.Validation($"clientMessageId is required, at most {limits.MaxClientMessageIdLength} characters.");
        }

        if (!ClientContentTypes.Contains(request.ContentType))
        {
            throw ChatException.Validation("contentType must be \"text\", \"image\" or \"file\".");
        }

        // Text needs words; an image or file message needs its attachments and may carry a caption.
        var length = request.Content?.Trim().Length ?? 0;
        var minLength = request.ContentType == "text" ? 1 : 0;
        if (length < minLength || length > limits.MaxContentLength)
        {
            throw ChatException.Validation($"content must be {minLength}-{limits.MaxContentLength} characters after trimming.");
        }

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
    }
}
