using Chat.Grains.Errors;
using Chat.Grains.Users;

namespace Chat.UnitTests;

public sealed class ActivityCursorTests
{
    [Fact]
    public void ACursorDecodesToWhatWasEncoded()
    {
        var activity = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero).AddTicks(1234560);
        var id = Guid.NewGuid();

        var decoded = ActivityCursor.Decode(ActivityCursor.Encode(activity, id));

        Assert.Equal((activity, id), decoded);
    }

    [Fact]
    public void NoCursorMeansTheFirstPage() => Assert.Null(ActivityCursor.Decode(null));

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("________________________________")]
    public void AForgedCursorIsAValidationError(string cursor)
    {
        var error = Assert.Throws<ChatException>(() => ActivityCursor.Decode(cursor));
        Assert.Equal(ErrorCodes.Validation, error.Code);
    }
}
