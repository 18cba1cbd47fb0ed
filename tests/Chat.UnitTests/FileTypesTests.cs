using System.Text;
using Chat.WebFrontend.Attachments;

namespace Chat.UnitTests;

public sealed class FileTypesTests
{
    public static TheoryData<byte[], string?> Signatures => new()
    {
        { [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], "image/png" },
        { [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "image/jpeg" },
        { "GIF89a...."u8.ToArray(), "image/gif" },
        { "RIFF\0\0\0\0WEBPVP8 "u8.ToArray(), "image/webp" },
        { "%PDF-1.7\n"u8.ToArray(), "application/pdf" },
        { "PK\x03\x04\x14\0"u8.ToArray(), "application/zip" },
        { [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], "application/x-ole-storage" },
        { "\0\0\0 ftypisom"u8.ToArray(), "video/mp4" },
        { [0x1A, 0x45, 0xDF, 0xA3, 0x9F], "video/webm" },
        { "OggS\0\x02"u8.ToArray(), "audio/ogg" },
        { "ID3\x04\0"u8.ToArray(), "audio/mpeg" },
        { "Hello, world!\r\nsecond line\t"u8.ToArray(), "text/plain" },
        { "MZ\x90\0\x03\0\0\0"u8.ToArray(), null },   // a Windows executable
        { "binary\0with a NUL"u8.ToArray(), null },
        { [], null },
    };

    [Theory]
    [MemberData(nameof(Signatures))]
    public void SniffsTheFamilyFromTheLeadingBytes(byte[] head, string? expected) => Assert.Equal(expected, FileTypes.Sniff(head));

    [Fact]
    public void TextCutInsideAMultiByteCharacterIsStillText()
    {
        var bytes = Encoding.UTF8.GetBytes("naïve café ✓");
        Assert.Equal("text/plain", FileTypes.Sniff(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Null(FileTypes.Sniff([0x41, 0xC3, 0x28, 0x41])); // invalid UTF-8 in the middle
    }

    [Theory]
    [InlineData("image/png", "image/png", "image/png")]
    [InlineData("IMAGE/PNG; charset=x", "image/png", "image/png")]
    [InlineData(null, "image/png", "image/png")]
    [InlineData("application/octet-stream", "application/zip", "application/zip")]
    [InlineData("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData(null, "application/x-ole-storage", "application/msword")]
    [InlineData("audio/mp4", "video/mp4", "audio/mp4")]
    [InlineData("image/jpeg", "image/png", null)]           // declared type disagrees with the bytes: 415
    [InlineData("application/pdf", "text/plain", null)]
    [InlineData("image/png", null, null)]                   // bytes on no allow-list
    [InlineData("text/html", "text/plain", null)]           // never store as HTML
    public void ResolvesTheStoredTypeOrRefuses(string? declared, string? sniffed, string? expected) =>
        Assert.Equal(expected, FileTypes.Resolve(declared, sniffed));

    [Theory]
    [InlineData("image/png", true)]
    [InlineData("application/octet-stream", true)]
    [InlineData("text/html", false)]
    [InlineData("application/x-msdownload", false)]
    [InlineData(null, false)]
    public void OnlyAllowListedTypesMayBeDeclared(string? declared, bool allowed) =>
        Assert.Equal(allowed, FileTypes.IsAllowedDeclaration(declared));
}
