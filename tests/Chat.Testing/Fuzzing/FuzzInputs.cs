using System.Globalization;
using System.Text;
using CsCheck;

namespace Chat.Testing.Fuzzing;

/// <summary>
/// CsCheck generators of hostile input: strings (empty, huge, control and bidi characters, NUL, lone surrogates,
/// injection classics), JSON text of right and wrong types (deeply nested, truncated, invalid UTF-8), and path and
/// query values. JSON is written by hand so that it can hold what a serializer would refuse to write.
/// </summary>
public static class FuzzInputs
{
    private static readonly string[] Nasty =
    [
        "", " ", "\t\n", "\0", "a\0b", "\u202Egnp.exe", "\u2066x\u2069", "\uFFFD", "\uD800", "x\uDC00y", "😀", "👍🏽", "a\u0301",
        "\r\n", "..", "../../etc/passwd", "%00", "%s%s%n", "<script>alert(1)</script>", "' OR 1=1 --", "\"; DROP TABLE users; --",
        "null", "true", "-1", "0", "1e999", "NaN", "{}", "[]", ":taco:", "@everyone", "admin", "owner", "everyone", "me", "medium",
        "thumbnail", "text", "image", "file", "markdown", "plain", "contacts", "anyone", "online", "invisible",
    ];

    /// <summary>Strings a client could send, hostile most of the time.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (4, Gen.String),
        (3, Gen.String[Gen.Char.AlphaNumeric, 0, 40]),
        (3, Gen.OneOf(Nasty)),
        (1, Gen.Char[(char)0, (char)0x3000].Array[0, 30].Select(chars => new string(chars))),
        (1, Gen.Int[2_000, 400_000].Select(n => new string('x', n))),
        (1, Gen.Int[1, 200].Select(n => string.Concat(Enumerable.Repeat("\u202E\0\uD800", n)))));

    /// <summary>A JSON string literal of any text, lone surrogates escaped rather than refused.</summary>
    public static string Literal(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text)
        {
            json.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when c < ' ' || char.IsSurrogate(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return json.Append('"').ToString();
    }

    /// <summary>A JSON value: strings, numbers of every size, booleans, null, small arrays and objects.</summary>
    public static Gen<string> Value(IReadOnlyList<string> knownValues) => Gen.Frequency(
        (4, Text.Select(Literal)),
        (3, Gen.OneOf([.. knownValues])),
        (2, Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e999")),
        (1, Gen.OneOf("true", "false", "null", "-0", "123456789012345678901234567890", "1e-400", "0.5", "[]", "{}")),
        (1, Text.Select(Literal).Array[0, 5].Select(items => $"[{string.Join(',', items)}]")),
        (1, Gen.Select(Text, Text).Array[0, 4].Select(pairs => $"{{{string.Join(',', pairs.Select(p => $"{Literal(p.Item1)}:{Literal(p.Item2)}"))}}}")));

    /// <summary>
    /// A request body for a route taking these fields: mostly an object with some of them (and a stray field), else
    /// another JSON value, JSON nested thousands deep, truncated JSON, a body over the cap, invalid UTF-8, or nothing.
    /// </summary>
    public static Gen<byte[]> Body(IReadOnlyList<string> fields, IReadOnlyList<string> knownValues)
    {
        var value = Value(knownValues);
        var member = Gen.Select(Gen.OneOf([.. fields, "extra", "__proto__"]), value, (name, v) => $"{Literal(name)}:{v}");
        var objectBody = member.Array[0, fields.Count + 1].Select(members => $"{{{string.Join(',', members)}}}");
        return Gen.Frequency(
            (12, objectBody.Select(Encoding.UTF8.GetBytes)),
            (2, value.Select(Encoding.UTF8.GetBytes)),
            (1, Gen.Int[100, 5_000].Select(n => Encoding.UTF8.GetBytes(new string('[', n) + new string(']', n)))),
            (1, objectBody.Select(json => Encoding.UTF8.GetBytes(json[..(json.Length / 2)]))),
            (1, Gen.Int[300_000, 1_200_000].Select(n => Encoding.UTF8.GetBytes($"{{{Literal(fields.Count > 0 ? fields[0] : "x")}:{Literal(new string('y', n))}}}"))),
            (1, Gen.Byte.Array[1, 64].Select(bytes => (byte[])[(byte)'{', (byte)'"', 0xC3, 0x28, 0xED, 0xA0, 0x80, .. bytes])),
            (1, Gen.Const(Array.Empty<byte>())));
    }

    /// <summary>One path segment or query value, percent-encoded from its UTF-8 (lone surrogates become U+FFFD), or raw escapes.</summary>
    public static Gen<string> UrlValue(IReadOnlyList<string> knownValues) => Gen.Frequency(
        (6, Gen.OneOf([.. knownValues])),
        (3, Text.Select(t => Escape(t.Length > 3_000 ? t[..3_000] : t))),
        (1, Gen.OneOf("%ZZ", "%00", "%ED%A0%80", "%2F..%2F", "%C3%28", "%", "-1", "0", "99999999999999999999", "1.5", "%20")));

    public static string Escape(string text)
    {
        var escaped = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            escaped.Append(b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.'
                ? ((char)b).ToString()
                : $"%{b:X2}");
        }

        return escaped.ToString();
    }
}
