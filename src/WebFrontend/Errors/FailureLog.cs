namespace Chat.WebFrontend.Errors;

/// <summary>
/// How a failed request or hub call is logged, by whose failure it is: a client's mistake (any 4xx), or a send
/// refused by a node being stopped, at Debug without a stack trace; a dependency not answering (503) as a Warning;
/// and only a bug (500) as an Error with its stack. The one place REST (<see cref="ChatExceptionHandler"/>) and the hub (<c>HubErrorFilter</c>) decide it.
/// </summary>
public static partial class FailureLog
{
    public static void Write(ILogger logger, Exception exception, ApiErrorBody error, string operation, string? userId)
    {
        switch (ApiError.StatusOf(error.Code))
        {
            case < 500:
            case 503 when exception is Hosting.NodeDrainingException: // this node is stopping, as it was told to
                LogRefused(logger, operation, userId, error.Code, error.Message);
                break;
            case StatusCodes.Status503ServiceUnavailable:
                LogUnavailable(logger, operation, userId, exception.GetType().Name, exception.Message);
                break;
            default:
                LogFault(logger, exception, operation, userId);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Operation} of user {UserId} refused: {Code} {Reason}")]
    private static partial void LogRefused(ILogger logger, string operation, string? userId, string code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Operation} of user {UserId} failed: a dependency did not answer ({Exception}: {Reason})")]
    private static partial void LogUnavailable(ILogger logger, string operation, string? userId, string exception, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Operation} of user {UserId} failed")]
    private static partial void LogFault(ILogger logger, Exception exception, string operation, string? userId);
}
