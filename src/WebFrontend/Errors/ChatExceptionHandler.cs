using Microsoft.AspNetCore.Diagnostics;

namespace Chat.WebFrontend.Errors;

/// <summary>
/// Answers every exception of a request with the API.md error body, logged by whose it is (<see cref="FailureLog"/>).
/// Handling it here also keeps the exception-handler middleware from logging every refusal as an unhandled exception.
/// </summary>
public sealed class ChatExceptionHandler(ILogger<ChatExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var error = ErrorMapping.ToApiError(exception);
        FailureLog.Write(logger, exception, error.Error, $"{context.Request.Method} {context.Request.Path}", context.User.FindFirst("sub")?.Value);
        var status = ApiError.StatusOf(error.Error.Code);
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
}
