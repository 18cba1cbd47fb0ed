namespace Chat.WebFrontend.Attachments;

/// <summary>
/// The allow-list of attachment types and the byte signatures that identify them. The type stored is the one the
/// bytes show; a declared type is kept only when it is a more precise name for the same bytes (a .docx is a zip).
/// </summary>
public static class FileTypes
{
    /// <summary>How many leading bytes <see cref="Sniff"/> needs.</summary>
    public const int SniffLength = 4096;

    private const string Zip = "application/zip";
    private const string OleCompound = "application/x-ole-storage"; // legacy Office documents
    private const string PlainText = "text/plain";

    /// <summary>Declared types accepted for each sniffed family (the first is stored when nothing better is declared).</summary>
    private static readonly Dictionary<string, string[]> Accepted = new()
    {
        ["image/png"] = ["image/png"],
        ["image/jpeg"] = ["image/jpeg", "image/jpg", "image/pjpeg"],
        ["image/gif"] = ["image/gif"],
        ["image/webp"] = ["image/webp"],
        ["application/pdf"] = ["application/pdf"],
        [PlainText] = [PlainText, "text/markdown", "text/csv"],
        [Zip] = [Zip, "application/x-zip-compressed",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
            "application/vnd.oasis.opendocument.presentation"],
        [OleCompound] = ["application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"],
        ["video/mp4"] = ["video/mp4", "audio/mp4", "audio/x-m4a", "video/quicktime"],
        ["video/webm"] = ["video/webm", "audio/webm"],
        ["audio/ogg"] = ["audio/ogg", "video/ogg", "application/ogg"],
        ["audio/mpeg"] = ["audio/mpeg", "audio/mp3"],
    };

    /// <summary>Every declared type a client may announce.</summary>
    public static IEnumerable<string> AllowedDeclaredTypes => Accepted.Values.SelectMany(v => v);

    /// <summary>The family the leading bytes belong to, or null when they match nothing on the allow-list.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "image/jpeg";
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return "image/gif";
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
        if (head.StartsWith("%PDF-"u8)) return "application/pdf";
        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8)) return Zip;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])) return OleCompound;
        if (head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8)) return "video/mp4";
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return "video/webm";
        if (head.StartsWith("OggS"u8)) return "audio/ogg";
        if (head.StartsWith("ID3"u8) || (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0)) return "audio/mpeg";
        return IsText(head) ? PlainText : null;
    }

    /// <summary>
    /// The content type to store: the declared one if it names the sniffed family, the family's own when nothing
    /// (or <c>application/octet-stream</c>) was declared; null when the bytes are not allowed or disagree (415).
    /// </summary>
    public static string? Resolve(string? declared, string? sniffed)
    {
        if (sniffed is null || !Accepted.TryGetValue(sniffed, out var names))
        {
            return null;
        }

        var type = Normalize(declared);
        if (type is null or "application/octet-stream")
        {
            return sniffed == OleCompound ? "application/msword" : names[0];
        }

        return names.Contains(type) ? type : null;
    }

    /// <summary>The media type without parameters, lower case; null when absent.</summary>
    public static string? Normalize(string? contentType) =>
        string.IsNullOrWhiteSpace(contentType) ? null : contentType.Split(';')[0].Trim().ToLowerInvariant();

    /// <summary>Whether a client may announce this type for a resumable upload (checked against the bytes later).</summary>
    public static bool IsAllowedDeclaration(string? contentType) =>
        Normalize(contentType) is { } type && (type == "application/octet-stream" || AllowedDeclaredTypes.Contains(type));

    /// <summary>UTF-8 (a multi-byte character cut at the end of the sample is fine) without NULs or binary control bytes.</summary>
    private static bool IsText(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return false;
        }

        foreach (var b in head)
        {
            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r' and not 0x0C)
            {
                return false;
            }
        }

        // Trim a trailing partial sequence, then require valid UTF-8.
        var end = head.Length;
        for (var back = 1; back <= 3 && end - back >= 0; back++)
        {
            var b = head[end - back];
            if ((b & 0xC0) != 0x80)
            {
                var needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                if (needed > back)
                {
                    end -= back;
                }

                break;
            }
        }

        return System.Text.Unicode.Utf8.IsValid(head[..end]);
    }
}
