using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chat.WebFrontend.Json;

/// <summary>
/// Refuses NUL in every string of a request body or hub argument: PostgreSQL text cannot store it, so it would
/// otherwise surface deep in a grain as a database error instead of a 400 at the edge.
/// </summary>
public sealed class NulFreeStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(reader.GetString());

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(reader.GetString())!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private static string? Checked(string? value) =>
        value is not null && value.Contains('\0') ? throw new JsonException("Text may not contain NUL (U+0000).") : value;
}
