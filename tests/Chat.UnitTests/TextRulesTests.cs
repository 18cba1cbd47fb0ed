using Chat.Grains;

namespace Chat.UnitTests;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("Alice", true)]
    [InlineData("Zoë 🙂 مرحبا", true)] // letters of any script, emoji (a surrogate pair), right-to-left text
    [InlineData("evil\u202Egnp.exe", false)]
    [InlineData("mark\u200F", false)]
    [InlineData("isolate\u2066x\u2069", false)]
    [InlineData("tab\there", false)]
    [InlineData("line\nbreak", false)]
    [InlineData("para\u2029graph", false)]
    [InlineData("nul\0", false)]
    [InlineData("broken\uFFFD", false)]
    public void NamesAreOneLineOfVisibleText(string name, bool clean) => Assert.Equal(clean, TextRules.IsCleanName(name));

    [Theory]
    [InlineData("two\nlines\r\nand\ttabs", true)]
    [InlineData("right-to-left \u202Bمرحبا\u202C", true)]
    [InlineData("bell\u0007", false)]
    [InlineData("nul\0", false)]
    public void TextMayBreakLinesButHoldsNoOtherControls(string text, bool clean) => Assert.Equal(clean, TextRules.IsCleanText(text));

    [Fact]
    public void NeitherHoldsALoneSurrogate()
    {
        // Built in code: attribute arguments are stored as UTF-8, which would turn a lone surrogate into U+FFFD.
        foreach (var broken in new[] { "lone" + '\uD83D', '\uDE42' + "backwards" + '\uD83D', "a" + '\uDC00' + "b" })
        {
            Assert.False(TextRules.IsCleanName(broken), broken);
            Assert.False(TextRules.IsCleanText(broken), broken);
        }

        Assert.True(TextRules.IsCleanText("pair " + '\uD83D' + '\uDE42'));
    }
}
