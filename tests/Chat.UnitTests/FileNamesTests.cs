using System.Text;
using Chat.WebFrontend.Attachments;

namespace Chat.UnitTests;

public sealed class FileNamesTests
{
    [Theory]
    [InlineData("photo.png", "photo.png")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\me\\report.pdf", "report.pdf")]
    [InlineData("a<b>c:d\"e|f?g*.txt", "a_b_c_d_e_f_g_.txt")]
    [InlineData("bell\u0007\u202Egnp.exe", "bell__gnp.exe")]   // control and bidi-override characters
    [InlineData("  .hidden.  ", "hidden")]
    [InlineData("...", "file")]
    [InlineData("", "file")]
    [InlineData(null, "file")]
    [InlineData("résumé ✓.docx", "résumé ✓.docx")]
    public void KeepsASafeLastSegment(string? given, string expected) => Assert.Equal(expected, FileNames.Sanitize(given));

    [Fact]
    public void LongNamesAreCutOnCharacterBoundariesAndKeepTheirExtension()
    {
        var name = FileNames.Sanitize(new string('é', 300) + ".jpeg");
        Assert.EndsWith(".jpeg", name);
        Assert.True(Encoding.UTF8.GetByteCount(name) <= 200);
        Assert.DoesNotContain('\uFFFD', name);
    }
}
