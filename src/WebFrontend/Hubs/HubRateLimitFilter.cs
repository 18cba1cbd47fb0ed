using Chat.WebFrontend.Auth;
using Chat.WebFrontend.RateLimits;
using Microsoft.AspNetCore.SignalR;

namespace Chat.WebFrontend.Hubs;

/// <summary>Applies the per-user request limit to every hub call (sends also take from the send limit).</summary>
public sealed class HubRateLimitFilter(ChatRateLimiters rateLimiters) : IHubFilter
{
    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        rateLimiters.AcquireHubCall(context.Context.User!.UserId());
        return next(context);
    }
}
