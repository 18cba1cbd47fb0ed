using Chat.WebFrontend.Errors;
using Microsoft.AspNetCore.SignalR;

namespace Chat.WebFrontend.Hubs;

/// <summary>Hub failures reach the client as a <see cref="HubException"/> whose message starts with the API.md code.</summary>
public sealed class HubErrorFilter : IHubFilter
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
            throw new HubException($"{error.Code}: {error.Message}");
        }
    }
}
