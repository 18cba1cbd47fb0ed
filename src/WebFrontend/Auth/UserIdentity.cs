using System.Security.Claims;
using Chat.Grains.Errors;

namespace Chat.WebFrontend.Auth;

public static class UserIdentity
{
    /// <summary>The authenticated user's id (the token's <c>sub</c>).</summary>
    public static Guid UserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirst("sub")?.Value, out var id) ? id : throw ChatException.Unauthorized("The token names no user.");

    /// <summary>The session (refresh-token family) the token was issued to, when it names one (<c>sid</c>).</summary>
    public static Guid? SessionId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirst("sid")?.Value, out var id) ? id : null;
}
