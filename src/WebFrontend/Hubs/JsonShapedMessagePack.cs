using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using MessagePack;
using MessagePack.Formatters;

namespace Chat.WebFrontend.Hubs;

/// <summary>
/// The MessagePack hub protocol carrying exactly the JSON protocol's values: every argument, result and event payload
/// is shaped by the same <see cref="JsonSerializerOptions"/> (camelCase names, enums as their JSON strings, times as
/// ISO 8601 text, NUL refused) and encoded as MessagePack maps, arrays, strings, numbers, booleans and nil, so a
/// client sees one contract in either protocol. MessagePack's own contractless resolver would name fields in
/// PascalCase and encode times and enums its own way; its JSON converter writes control characters unescaped.
/// </summary>
public sealed class JsonShapedMessagePack(JsonSerializerOptions json) : IFormatterResolver
{
    private readonly ConcurrentDictionary<Type, IMessagePackFormatter> _formatters = new();

    public static MessagePackSerializerOptions Options(JsonSerializerOptions json) =>
        MessagePackSerializerOptions.Standard
            .WithResolver(new JsonShapedMessagePack(json))
            .WithSecurity(MessagePackSecurity.UntrustedData);

    public IMessagePackFormatter<T> GetFormatter<T>() =>
        (IMessagePackFormatter<T>)_formatters.GetOrAdd(typeof(T), _ => new Formatter<T>(json));

    private sealed class Formatter<T>(JsonSerializerOptions json) : IMessagePackFormatter<T>
    {
        public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options) =>
            Write(ref writer, JsonSerializer.SerializeToElement(value, json));

        public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var text = new Utf8JsonWriter(buffer))
            {
                Read(ref reader, text, options);
            }

            return JsonSerializer.Deserialize<T>(buffer.WrittenSpan, json)!;
        }
    }

    private static void Write(ref MessagePackWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteMapHeader(element.GetPropertyCount());
                foreach (var property in element.EnumerateObject())
                {
                    writer.Write(property.Name);
                    Write(ref writer, property.Value);
                }

                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    Write(ref writer, item);
                }

                break;
            case JsonValueKind.String:
                writer.Write(element.GetString());
                break;
            case JsonValueKind.Number when element.TryGetInt64(out var integer):
                writer.Write(integer);
                break;
            case JsonValueKind.Number when element.TryGetUInt64(out var natural):
                writer.Write(natural);
                break;
            case JsonValueKind.Number:
                writer.Write(element.GetDouble());
                break;
            case JsonValueKind.True or JsonValueKind.False:
                writer.Write(element.GetBoolean());
                break;
            default:
                writer.WriteNil();
                break;
        }
    }

    private static void Read(ref MessagePackReader reader, Utf8JsonWriter json, MessagePackSerializerOptions options)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Map:
                options.Security.DepthStep(ref reader);
                json.WriteStartObject();
                for (var count = reader.ReadMapHeader(); count > 0; count--)
                {
                    if (reader.NextMessagePackType != MessagePackType.String)
                    {
                        throw new MessagePackSerializationException("Map keys must be strings, as JSON object keys are.");
                    }

                    json.WritePropertyName(reader.ReadString()!);
                    Read(ref reader, json, options);
                }

                json.WriteEndObject();
                reader.Depth--;
                break;
            case MessagePackType.Array:
                options.Security.DepthStep(ref reader);
                json.WriteStartArray();
                for (var count = reader.ReadArrayHeader(); count > 0; count--)
                {
                    Read(ref reader, json, options);
                }

                json.WriteEndArray();
                reader.Depth--;
                break;
            case MessagePackType.String:
                json.WriteStringValue(reader.ReadString());
                break;
            case MessagePackType.Integer when reader.NextCode == MessagePackCode.UInt64:
                json.WriteNumberValue(reader.ReadUInt64());
                break;
            case MessagePackType.Integer:
                json.WriteNumberValue(reader.ReadInt64());
                break;
            case MessagePackType.Float:
                json.WriteNumberValue(reader.ReadDouble());
                break;
            case MessagePackType.Boolean:
                json.WriteBooleanValue(reader.ReadBoolean());
                break;
            case MessagePackType.Nil:
                reader.ReadNil();
                json.WriteNullValue();
                break;
            default:
                throw new MessagePackSerializationException($"{reader.NextMessagePackType} has no JSON counterpart in this API.");
        }
    }
}
