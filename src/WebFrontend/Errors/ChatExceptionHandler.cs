using Microsoft.AspNetCore.Diagnostics;

namespace Chat.WebFrontend.Errors;

/// <summary>
/// Answers every exception of a request with the API.md error body, and logs it by whose it is: a client's mistake
/// (any 4xx) at Debug without a stack trace, the cluster, database or blob storage not answering (503) as a
/// Warning, and only a real bug (500) as an Error with its stack. Handling it here also keeps the exception-handler
/// middleware from logging every refusal as an unhandled exception.
/// </summary>
public sealed partial class ChatExceptionHandler(ILogger<ChatExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var error = ErrorMapping.ToApiError(exception);
        var status = ApiError.StatusOf(error.Error.Code);
        var (method, path) = (context.Request.Method, context.Request.Path.Value);
        switch (status)
        {
            case < 500:
                LogRefused(logger, method, path, status, error.Error.Code, error.Error.Message);
                break;
            case StatusCodes.Status503ServiceUnavailable:
                LogUnavailable(logger, method, path, exception.GetType().Name, exception.Message);
                break;
            default:
                LogFault(logger, exception, method, path, context.User.FindFirst("sub")?.Value);
                break;
        }

        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "5";
        }
        else if (exception is RateLimits.RateLimitExceededException limited)
        {
            context.Response.Headers.RetryAfter = limited.RetryAfterSeconds.ToString();
        }

        await context.Response.WriteAsJsonAsync(error, cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path} refused with {Status} {Code}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string? path, int status, string code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: a dependency did not answer ({Exception}: {Reason})")]
    private static partial void LogUnavailable(ILogger logger, string method, string? path, string exception, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed for user {UserId}")]
    private static partial void LogFault(ILogger logger, Exception exception, string method, string? path, string? userId);
}
