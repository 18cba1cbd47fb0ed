using Chat.WebFrontend.Auth;
using Chat.WebFrontend.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace Chat.WebFrontend.Hubs;

/// <summary>Every hub call counts as activity: what keeps a user from turning "away" by inactivity.</summary>
public sealed class HubActivityFilter(LocalConnections local) : IHubFilter
{
    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        local.Touch(context.Context.User!.UserId());
        return next(context);
    }
}
