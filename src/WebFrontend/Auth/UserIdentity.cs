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

    /// <summary>
    /// Only the claims Chat reads (<c>sub</c>, <c>sid</c>), without the token they came from: what a hub connection
    /// keeps for its whole life, instead of every claim of the token and the parsed token itself.
    /// </summary>
    public static ClaimsPrincipal Lean(ClaimsPrincipal principal, string authenticationType) =>
        new(new ClaimsIdentity(
            principal.Claims.Where(claim => claim.Type is "sub" or "sid").Select(claim => new Claim(claim.Type, claim.Value)),
            authenticationType, nameType: "sub", roleType: null));
}
