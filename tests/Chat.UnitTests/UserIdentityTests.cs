using System.Security.Claims;
using Chat.WebFrontend.Auth;

namespace Chat.UnitTests;

public sealed class UserIdentityTests
{
    [Fact]
    public void ALeanPrincipalKeepsTheUserAndSessionAndNothingElseOfTheToken()
    {
        var (user, session) = (Guid.NewGuid(), Guid.NewGuid());
        var token = new ClaimsPrincipal(new ClaimsIdentity(
            [new("sub", user.ToString()), new("name", "alice"), new("sid", session.ToString()), new("iss", "chat"), new("exp", "1")],
            "Bearer", "sub", null));

        var lean = UserIdentity.Lean(token, "Bearer");

        Assert.Equal(user, lean.UserId());
        Assert.Equal(session, lean.SessionId());
        Assert.True(lean.Identity!.IsAuthenticated);
        Assert.Equal(user.ToString(), lean.Identity.Name);
        Assert.Equal(["sub", "sid"], lean.Claims.Select(claim => claim.Type));
    }
}
