using Chat.Grains.Errors;

namespace Chat.Grains.Conversations;

/// <summary>What a client may send, checked by the frontend at the edge and by the grain before it writes.</summary>
public static class MessageRules
{
    public static readonly IReadOnlySet<string> ClientContentTypes = new HashSet<string>(StringComparer.Ordinal) { "text" };
    public static readonly IReadOnlySet<string> Formats = new HashSet<string>(StringComparer.Ordinal) { "plain", "markdown" };

    public static void Validate(SendMessageRequest request, ChatLimits limits)
    {
        if (string.IsNullOrWhiteSpace(request.ClientMessageId) || request.ClientMessageId.Length > limits.MaxClientMessageIdLength)
        {
            throw ChatException.Validation($"clientMessageId is required, at most {limits.MaxClientMessageIdLength} characters.");
        }

        var length = request.Content?.Trim().Length ?? 0;
        if (length < 1 || length > limits.MaxContentLength)
        {
            throw ChatException.Validation($"content must be 1-{limits.MaxContentLength} characters after trimming.");
        }

        if (!ClientContentTypes.Contains(request.ContentType))
        {
            throw ChatException.Validation("contentType must be \"text\".");
        }

        if (!Formats.Contains(request.Format))
        {
            throw ChatException.Validation("format must be \"plain\" or \"markdown\".");
        }
    }
}
