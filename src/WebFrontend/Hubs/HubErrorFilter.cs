using Chat.WebFrontend.Errors;
using Microsoft.AspNetCore.SignalR;

namespace Chat.WebFrontend.Hubs;

/// <summary>
/// Hub failures reach the client as a <see cref="HubException"/> whose message starts with the API.md code, and are
/// logged here by whose they are, as REST failures are (ChatExceptionHandler): a client's mistake at Debug, an
/// unavailable dependency as a Warning, a bug as an Error with its stack. SignalR's own "Failed to invoke hub
/// method" entry, an Error for every refusal, is turned off in appsettings.json for that reason.
/// </summary>
public sealed partial class HubErrorFilter(ILogger<HubErrorFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception exception) when (exception is not HubException)
        {
            var error = ErrorMapping.ToApiError(exception).Error;
            var (method, user) = (context.HubMethodName, context.Context.UserIdentifier ?? context.Context.User?.FindFirst("sub")?.Value);
            switch (ApiError.StatusOf(error.Code))
            {
                case < 500:
                    LogRefused(logger, method, user, error.Code, error.Message);
                    break;
                case StatusCodes.Status503ServiceUnavailable:
                    LogUnavailable(logger, method, user, exception.GetType().Name, exception.Message);
                    break;
                default:
                    LogFault(logger, exception, method, user);
                    break;
            }

            throw new HubException($"{error.Code}: {error.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hub method {Method} of user {UserId} refused: {Code} {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string? userId, string code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub method {Method} of user {UserId} failed: a dependency did not answer ({Exception}: {Reason})")]
    private static partial void LogUnavailable(ILogger logger, string method, string? userId, string exception, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub method {Method} of user {UserId} failed")]
    private static partial void LogFault(ILogger logger, Exception exception, string method, string? userId);
}
