using System.Security.Claims;
using Chat.Grains.Errors;

namespace Chat.WebFrontend.Auth;

public static class UserIdentity
{
    /// <summary>The authenticated user's id (the token's <c>sub</c>).</summary>
    public static Guid UserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirst("sub")?.Value, out var id) ? id : throw ChatException.Unauthorized("The token names no user.");
}
