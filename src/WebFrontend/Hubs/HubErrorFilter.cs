using Chat.WebFrontend.Errors;
using Microsoft.AspNetCore.SignalR;

namespace Chat.WebFrontend.Hubs;

/// <summary>
/// Hub failures reach the client as a <see cref="HubException"/> whose message starts with the API.md code, and are
/// logged by whose they are (<see cref="FailureLog"/>), as REST failures are. SignalR's own "Failed to invoke hub
/// method" entry, an Error for every refusal, is turned off in appsettings.json for that reason.
/// </summary>
public sealed class HubErrorFilter(ILogger<HubErrorFilter> logger) : IHubFilter
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
            FailureLog.Write(logger, exception, error, $"Hub method {context.HubMethodName}", context.Context.User?.FindFirst("sub")?.Value);
            throw new HubException($"{error.Code}: {error.Message}");
        }
    }
}
