using System.Text;

namespace Chat.WebFrontend.Attachments;

/// <summary>Turns whatever name a client sends into one safe to store and to put in a download header.</summary>
public static class FileNames
{
    private const int MaxBytes = 200;
    private const string Fallback = "file";

    public static string Sanitize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return Fallback;
        }

        // Only the last path segment, whichever separator the client's system uses.
        var last = name.Replace('\\', '/').Split('/').Last();
        var builder = new StringBuilder(last.Length);
        foreach (var rune in last.Normalize(NormalizationForm.FormC).EnumerateRunes())
        {
            var unsafeChar = Rune.IsControl(rune) || rune.Value is '<' or '>' or ':' or '"' or '|' or '?' or '*'
                || Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.Format;
            builder.Append(unsafeChar ? "_" : rune.ToString());
        }

        var clean = builder.ToString().Trim().Trim('.').Trim();
        clean = Truncate(clean);
        return clean.Length == 0 ? Fallback : clean;
    }

    /// <summary>At most <see cref="MaxBytes"/> UTF-8 bytes, keeping the extension and whole characters.</summary>
    private static string Truncate(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) <= MaxBytes)
        {
            return name;
        }

        var extension = Path.GetExtension(name);
        if (Encoding.UTF8.GetByteCount(extension) > 20)
        {
            extension = "";
        }

        var stem = name[..^extension.Length];
        var budget = MaxBytes - Encoding.UTF8.GetByteCount(extension);
        var kept = new StringBuilder();
        foreach (var rune in stem.EnumerateRunes())
        {
            if (Encoding.UTF8.GetByteCount(kept.ToString()) + rune.Utf8SequenceLength > budget)
            {
                break;
            }

            kept.Append(rune.ToString());
        }

        return kept.ToString().TrimEnd() + extension;
    }
}
