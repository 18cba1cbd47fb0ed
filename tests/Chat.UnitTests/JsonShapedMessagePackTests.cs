using System.Text.Json;
using Chat.WebFrontend.Api;
using Chat.WebFrontend.Hosting;
using Chat.WebFrontend.Hubs;
using MessagePack;
using Microsoft.AspNetCore.SignalR;

namespace Chat.UnitTests;

/// <summary>The MessagePack hub protocol carries the JSON protocol's values, field for field.</summary>
public sealed class JsonShapedMessagePackTests
{
    private static readonly JsonSerializerOptions Json = ChatFrontendExtensions.ConfigureJson(new JsonHubProtocolOptions().PayloadSerializerOptions);
    private static readonly MessagePackSerializerOptions Options = JsonShapedMessagePack.Options(Json);

    private static readonly MessageDto Message = new(
        Guid.NewGuid(), Guid.NewGuid(), 42, Guid.NewGuid(), "client-1", "text", "quote \" backslash \\ bell \u0007 tab \t 🙂 مرحبا",
        "markdown", null, new ForwardedFromDto(Guid.NewGuid(), 7), [], [new ReactionDto("👍", 1, [Guid.NewGuid()])], [],
        new DateTimeOffset(2026, 11, 28, 12, 0, 0, 123, TimeSpan.Zero), null, null, null, long.MaxValue);

    [Fact]
    public void AnEventReadsAsTheJsonProtocolWouldWriteIt()
    {
        var packed = MessagePackSerializer.Serialize(Message, Options);

        var asJson = MessagePackSerializer.Deserialize<JsonElement>(packed, Options);
        Assert.Equal(JsonSerializer.Serialize(Message, Json), JsonSerializer.Serialize(asJson, Json));
    }

    [Fact]
    public void ItsMapKeysAreTheJsonContractsCamelCaseNames()
    {
        var packed = MessagePackSerializer.Serialize(Message, Options);

        var fields = MessagePackSerializer.Deserialize<Dictionary<object, object?>>(packed, MessagePackSerializerOptions.Standard);
        Assert.Contains("conversationId", fields.Keys);
        Assert.Equal("2026-11-28T12:00:00.123+00:00", fields["createdAt"]);
        Assert.Equal(long.MaxValue, Convert.ToInt64(fields["version"]));
        Assert.Null(fields["replyToSeq"]);
    }

    [Fact]
    public void ArgumentsInCamelCaseBindToTheHubsRecords()
    {
        var conversationId = Guid.NewGuid();
        var packed = MessagePackSerializer.Serialize(
            JsonDocument.Parse($$"""{"conversationId":"{{conversationId}}","clientMessageId":"c-1","content":"line\nbreak \u202B\u0645\u202C"}""").RootElement,
            Options);

        var args = MessagePackSerializer.Deserialize<ChatHub.SendMessageArgs>(packed, Options);

        Assert.Equal(conversationId, args.ConversationId);
        Assert.Equal("line\nbreak \u202Bم\u202C", args.Content);
        var roundTripped = MessagePackSerializer.Deserialize<MessageDto>(MessagePackSerializer.Serialize(Message, Options), Options);
        Assert.Equal(JsonSerializer.Serialize(Message, Json), JsonSerializer.Serialize(roundTripped, Json));
    }

    [Fact]
    public void WhatJsonCannotSayIsRefused()
    {
        var binary = MessagePackSerializer.Serialize(new byte[] { 1, 2 }, MessagePackSerializerOptions.Standard);
        var integerKeys = MessagePackSerializer.Serialize(new Dictionary<int, int> { [1] = 2 }, MessagePackSerializerOptions.Standard);

        Assert.Throws<MessagePackSerializationException>(() => MessagePackSerializer.Deserialize<JsonElement>(binary, Options));
        Assert.Throws<MessagePackSerializationException>(() => MessagePackSerializer.Deserialize<JsonElement>(integerKeys, Options));
    }

    [Fact]
    public void NulIsRefusedAsInJson()
    {
        var packed = MessagePackSerializer.Serialize("nul\0", MessagePackSerializerOptions.Standard);

        Assert.ThrowsAny<Exception>(() => MessagePackSerializer.Deserialize<string>(packed, Options));
    }
}
