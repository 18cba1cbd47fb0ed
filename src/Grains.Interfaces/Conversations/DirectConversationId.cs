using System.Security.Cryptography;

namespace Chat.Grains.Conversations;

/// <summary>
/// The id of the one direct conversation between two users, derived from the pair (in either order), so that
/// "open a direct conversation" is idempotent without a lookup table: both users reach the same grain.
/// </summary>
public static class DirectConversationId
{
    public static Guid For(Guid a, Guid b)
    {
        var (low, high) = a.CompareTo(b) <= 0 ? (a, b) : (b, a);
        Span<byte> input = stackalloc byte[32];
        low.TryWriteBytes(input[..16], bigEndian: true, out _);
        high.TryWriteBytes(input[16..], bigEndian: true, out _);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: a custom, name-derived UUID
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash[..16], bigEndian: true);
    }
}
