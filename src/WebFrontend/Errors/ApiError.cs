using Chat.Grains.Errors;

namespace Chat.WebFrontend.Errors;

/// <summary>The error body of API.md: <c>{"error":{"code","message","details"}}</c>.</summary>
public sealed record ApiError(ApiErrorBody Error)
{
    public static ApiError Of(string code, string message, IReadOnlyList<string>? details = null) =>
        new(new ApiErrorBody(code, message, details ?? []));

    /// <summary>The HTTP status of each API.md error code.</summary>
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.Validation => StatusCodes.Status400BadRequest,
        ErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Conflict => StatusCodes.Status409Conflict,
        ErrorCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorCodes.RateLimitExceeded => StatusCodes.Status429TooManyRequests,
        ErrorCodes.ServiceUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The code for a bare status (routing misses, framework rejections).</summary>
    public static string CodeOf(int status) => status switch
    {
        400 => ErrorCodes.Validation,
        401 => ErrorCodes.Unauthorized,
        403 => ErrorCodes.Forbidden,
        404 or 405 => ErrorCodes.NotFound,
        409 => ErrorCodes.Conflict,
        413 => ErrorCodes.PayloadTooLarge,
        415 => ErrorCodes.UnsupportedMediaType,
        429 => ErrorCodes.RateLimitExceeded,
        503 => ErrorCodes.ServiceUnavailable,
        _ => ErrorCodes.Internal,
    };
}

public sealed record ApiErrorBody(string Code, string Message, IReadOnlyList<string> Details);
