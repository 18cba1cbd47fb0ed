using System.Security.Cryptography;
using Chat.Grains.Errors;
using Chat.WebFrontend.Attachments;

namespace Chat.UnitTests;

public sealed class HashingStreamTests
{
    [Fact]
    public async Task ServesTheHeadThenTheRestAndHashesBoth()
    {
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        var rest = new MemoryStream(bytes, 4096, bytes.Length - 4096);
        using var stream = new HashingStream(bytes.AsMemory(0, 4096), rest, maxSize: bytes.Length);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, 1000);

        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal(bytes.Length, stream.Count);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stream.Sha256Hex());
    }

    [Fact]
    public async Task RefusesToReadPastTheLimit()
    {
        var bytes = new byte[5000];
        using var stream = new HashingStream(bytes.AsMemory(0, 10), new MemoryStream(bytes, 10, 4990), maxSize: 4999);
        var error = await Assert.ThrowsAsync<ChatException>(() => stream.CopyToAsync(Stream.Null));
        Assert.Equal(ErrorCodes.PayloadTooLarge, error.Code);
    }
}
