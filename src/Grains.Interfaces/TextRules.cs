using System.Globalization;

namespace Chat.Grains;

/// <summary>
/// Which characters user text may hold. Names (display names, status lines, group names) are one line of visible
/// text: no control characters, no bidirectional overrides, isolates or marks (which can make "exe.gnp" read as
/// "png.exe"), no U+FFFD left by a broken encoder. Longer text (messages, descriptions) may hold line breaks and tabs,
/// and bidi characters that right-to-left writers need. Neither may hold NUL, which PostgreSQL text cannot store, or a
/// lone surrogate, which is not Unicode at all.
/// </summary>
public static class TextRules
{
    public static bool IsCleanName(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) || IsBidiControl(c) || c == '\uFFFD' || IsLoneSurrogate(text, ref i)
                || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsCleanText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((char.IsControl(c) && c is not ('\n' or '\r' or '\t')) || IsLoneSurrogate(text, ref i))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>ALM, LRM, RLM, the embeddings and overrides U+202A-U+202E, and the isolates U+2066-U+2069.</summary>
    private static bool IsBidiControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>True for a surrogate without its partner; steps over a well-formed pair.</summary>
    private static bool IsLoneSurrogate(string text, ref int i)
    {
        if (!char.IsSurrogate(text[i]))
        {
            return false;
        }

        if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            i++;
            return false;
        }

        return true;
    }
}
