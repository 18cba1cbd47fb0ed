namespace Chat.Grains.Errors;

/// <summary>
/// A refusal the caller can act on. <see cref="Code"/> is one of the API.md error codes; the frontend maps it to
/// the HTTP status and the hub maps it to a <c>HubException</c> whose message starts with the code.
/// </summary>
[GenerateSerializer, Alias("chat.error")]
public sealed class ChatException(string code, string message) : Exception(message)
{
    [Id(0)]
    public string Code { get; } = code;

    public static ChatException Validation(string message) => new(ErrorCodes.Validation, message);
    public static ChatException NotFound(string message) => new(ErrorCodes.NotFound, message);
    public static ChatException Forbidden(string message) => new(ErrorCodes.Forbidden, message);
    public static ChatException Conflict(string message) => new(ErrorCodes.Conflict, message);
    public static ChatException Unauthorized(string message) => new(ErrorCodes.Unauthorized, message);
}

/// <summary>The error codes of API.md.</summary>
public static class ErrorCodes
{
    public const string Validation = "VALIDATION_ERROR";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Forbidden = "FORBIDDEN";
    public const string NotFound = "NOT_FOUND";
    public const string Conflict = "CONFLICT";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string RateLimitExceeded = "RATE_LIMIT_EXCEEDED";
    public const string Internal = "INTERNAL_ERROR";
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";
}
