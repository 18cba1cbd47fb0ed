using Chat.WebFrontend.Auth;

namespace Chat.UnitTests;

public sealed class CredentialRulesTests
{
    [Theory]
    [InlineData("abc", true)]
    [InlineData("Alice_1.x-y", true)]
    [InlineData("ab", false)]
    [InlineData("a23456789012345678901234567890123", false)]
    [InlineData("has space", false)]
    [InlineData("émile", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void UsernamesFollowTheApiRule(string? username, bool valid) => Assert.Equal(valid, CredentialRules.IsValidUsername(username));

    [Theory]
    [InlineData("Passw0rd!", true)]
    [InlineData("Sh0rt!a", false)]
    [InlineData("nouppercase1!", false)]
    [InlineData("NOLOWERCASE1!", false)]
    [InlineData("NoDigits!!", false)]
    [InlineData("NoSymbol123", false)]
    [InlineData(null, false)]
    public void PasswordsNeedLengthAndFourCharacterClasses(string? password, bool strong) =>
        Assert.Equal(strong, CredentialRules.IsStrongPassword(password));
}
