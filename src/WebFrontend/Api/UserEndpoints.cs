using System.Security.Claims;
using Chat.Grains.Accounts;
using Chat.WebFrontend.Auth;

namespace Chat.WebFrontend.Api;

public static class UserEndpoints
{
    public static RouteGroupBuilder MapUsers(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization();
        users.MapGet("/me", async (ClaimsPrincipal user, IClusterClient cluster) =>
            UserDto.From(await cluster.GetGrain<IAccountsGrain>(0).GetProfileAsync(user.UserId())));
        users.MapGet("/{id:guid}", async (Guid id, IClusterClient cluster) =>
            UserDto.From(await cluster.GetGrain<IAccountsGrain>(0).GetProfileAsync(id)));
        return api;
    }
}
