using System.Buffers.Binary;
using System.Buffers.Text;
using Chat.Grains.Errors;

namespace Chat.Grains.Users;

/// <summary>The opaque keyset cursor of the conversation list: (last activity, conversation id), base64url.</summary>
public static class ActivityCursor
{
    private const int Size = 24;

    public static string Encode(DateTimeOffset activity, Guid conversationId)
    {
        Span<byte> bytes = stackalloc byte[Size];
        BinaryPrimitives.WriteInt64BigEndian(bytes, activity.UtcTicks);
        conversationId.TryWriteBytes(bytes[8..]);
        return Base64Url.EncodeToString(bytes);
    }

    public static (DateTimeOffset Activity, Guid Id)? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (cursor.Length != 32 || !Base64Url.IsValid(cursor) || !Base64Url.TryDecodeFromChars(cursor, bytes, out var written) || written != Size)
        {
            throw ChatException.Validation("cursor is not a cursor this server issued.");
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw ChatException.Validation("cursor is not a cursor this server issued.");
        }

        return (new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes[8..]));
    }
}
