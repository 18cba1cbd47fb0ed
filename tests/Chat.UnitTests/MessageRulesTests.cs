using Chat.Grains.Conversations;
using Chat.Grains.Errors;

namespace Chat.UnitTests;

public sealed class MessageRulesTests
{
    private static readonly ChatLimits Limits = new() { MaxContentLength = 10 };

    [Theory]
    [InlineData("c1", "hello", "text", "plain")]
    [InlineData("c1", "  0123456789  ", "text", "markdown")] // the limit applies after trimming
    public void AcceptsWellFormedMessages(string clientMessageId, string content, string contentType, string format) =>
        MessageRules.Validate(new SendMessageRequest(clientMessageId, content, contentType, format, null, []), Limits);

    [Fact]
    public void ContentIsStoredTrimmedSoPaddingNeverReachesStorage()
    {
        var padded = new SendMessageRequest("c1", "  hi" + new string(' ', 100_000), "text", "plain", null, []);
        Assert.Equal("hi", MessageRules.Validate(padded, Limits).Content);
        Assert.Equal("edited", MessageRules.ValidateEdit("text", "\n\nedited\n" + new string('\n', 50_000), Limits));
    }

    [Fact]
    public void ImageAndFileMessagesNeedAttachmentsAndMayHaveNoCaption()
    {
        MessageRules.Validate(new SendMessageRequest("c1", "", "image", "plain", null, [Guid.NewGuid()]), Limits);
        MessageRules.Validate(new SendMessageRequest("c1", "caption", "file", "plain", null, [Guid.NewGuid(), Guid.NewGuid()]), Limits);
        var id = Guid.NewGuid();
        foreach (var refused in new[]
        {
            new SendMessageRequest("c1", "", "image", "plain", null, []),
            new SendMessageRequest("c1", "x", "file", "plain", null, [id, id]),
            new SendMessageRequest("c1", "x", "text", "plain", null, [.. Enumerable.Range(0, 11).Select(_ => Guid.NewGuid())]),
        })
        {
            Assert.Equal(ErrorCodes.Validation, Assert.Throws<ChatException>(() => MessageRules.Validate(refused, Limits)).Code);
        }
    }

    [Theory]
    [InlineData("", "hello", "text", "plain")]
    [InlineData("c1", "   ", "text", "plain")]
    [InlineData("c1", "01234567890", "text", "plain")]
    [InlineData("c1", "hello", "system", "plain")]
    [InlineData("c1", "hello", "text", "html")]
    [InlineData("c1", "nul\0", "text", "plain")]
    public void RefusesMalformedMessages(string clientMessageId, string content, string contentType, string format)
    {
        var error = Assert.Throws<ChatException>(() =>
            MessageRules.Validate(new SendMessageRequest(clientMessageId, content, contentType, format, null, []), Limits));
        Assert.Equal(ErrorCodes.Validation, error.Code);
    }
}
