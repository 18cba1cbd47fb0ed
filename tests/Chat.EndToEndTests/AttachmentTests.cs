using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SkiaSharp;

namespace Chat.EndToEndTests;

/// <summary>Small limits so the edge cases are cheap: 1 MiB files, 256 KiB chunks.</summary>
public sealed class SmallAttachmentsDeployment : ChatDeployment
{
    public const int MaxSize = 1024 * 1024;
    public const int ChunkSize = 256 * 1024;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Chat__Attachments__MaxSize"] = MaxSize.ToString(),
        ["Chat__Attachments__ChunkSize"] = ChunkSize.ToString(),
    };
}

/// <summary>The attachment routes of API.md over HTTP, against real processes and a real Azurite.</summary>
public sealed class AttachmentTests(SmallAttachmentsDeployment chat) : IClassFixture<SmallAttachmentsDeployment>
{
    [Fact]
    public async Task AnImageRoundTripsWithPreviewsRangesAndMemberOnlyAccess()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        await using var eve = await ChatUser.RegisterAsync(chat.BaseAddress, "eve");
        var conversationId = await GroupAsync(alice, bob);
        var png = Png(800, 400);

        var attachment = await UploadAsync(alice, conversationId, png, "../../holiday.png", "image/png", 201);
        Assert.Equal("holiday.png", attachment["fileName"]!.GetValue<string>());
        Assert.Equal("image/png", attachment["contentType"]!.GetValue<string>());
        Assert.Equal(png.Length, attachment["size"]!.GetValue<long>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(png)), attachment["sha256"]!.GetValue<string>());
        Assert.Equal((800, 400), (attachment["width"]!.GetValue<int>(), attachment["height"]!.GetValue<int>()));
        var url = attachment["url"]!.GetValue<string>();

        Assert.Equal(png, await bob.Http.GetByteArrayAsync(url));
        var range = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(100, 199) } };
        var partial = await bob.Http.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(png[100..200], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", partial.Headers.GetValues("X-Content-Type-Options").Single());

        // An img tag cannot send a header, and a bearer token in a URL would land in logs and history: a short-lived
        // ticket for this one resource goes in the query instead.
        using var anonymous = new HttpClient { BaseAddress = chat.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{url}?access_token={bob.AccessToken}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url)).StatusCode);
        var ticket = await bob.PostJsonAsync("/api/v1/tickets", new { url }, 200);
        var ticketUrl = ticket["url"]!.GetValue<string>();
        Assert.StartsWith($"{url}?ticket=", ticketUrl);
        Assert.InRange(ticket["expiresAt"]!.GetValue<DateTimeOffset>(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow + TimeSpan.FromMinutes(6));
        Assert.Equal(png, await anonymous.GetByteArrayAsync(ticketUrl));
        var ticketValue = ticketUrl[(ticketUrl.IndexOf("?ticket=", StringComparison.Ordinal) + 8)..];
        // The ticket opens that resource only, and is no bearer token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{url}/thumbnail?ticket={ticketValue}")).StatusCode);
        using var withTicketAsBearer = new HttpClient { BaseAddress = chat.BaseAddress };
        withTicketAsBearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Uri.UnescapeDataString(ticketValue));
        Assert.Equal(HttpStatusCode.Unauthorized, (await withTicketAsBearer.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withTicketAsBearer.GetAsync("/api/v1/users/me")).StatusCode);
        // A ticket names the user it was issued to: a non-member's ticket opens nothing, and only download routes get one.
        var eveTicket = (await eve.PostJsonAsync("/api/v1/tickets", new { url }, 200))["url"]!.GetValue<string>();
        await AssertErrorAsync(await anonymous.GetAsync(eveTicket), HttpStatusCode.NotFound, "NOT_FOUND");
        await AssertErrorAsync(await bob.Http.PostAsJsonAsync("/api/v1/tickets", new { url = "/api/v1/users/me" }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await AssertErrorAsync(await eve.Http.GetAsync(url), HttpStatusCode.NotFound, "NOT_FOUND");
        await AssertErrorAsync(await eve.Http.GetAsync($"{url}/thumbnail"), HttpStatusCode.NotFound, "NOT_FOUND");

        var thumbnail = await WaitForPreviewAsync(bob, $"{url}/thumbnail");
        Assert.Equal((256, 128), Size(thumbnail));
        Assert.Equal((800, 400), Size(await bob.Http.GetByteArrayAsync($"{url}/thumbnail?size=medium")));
        var details = await bob.GetJsonAsync($"/api/v1/conversations/{conversationId}/messages"); // nothing sent yet
        Assert.Empty(details["messages"]!.AsArray());
    }

    [Fact]
    public async Task AMessageCarriesItsAttachmentsToEveryMember()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var conversationId = await GroupAsync(alice, bob);
        await bob.ConnectAsync();
        var pdf = "%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"u8.ToArray();
        var attachment = await UploadAsync(alice, conversationId, pdf, "minutes.pdf", "application/pdf", 201);
        var attachmentId = attachment["id"]!.GetValue<Guid>();

        var message = await alice.PostJsonAsync($"/api/v1/conversations/{conversationId}/messages",
            new { clientMessageId = "with-file", content = "the minutes", attachmentIds = new[] { attachmentId } }, 201);
        Assert.Equal("file", message["contentType"]!.GetValue<string>());
        Assert.Equal(attachmentId, message["attachments"]![0]!["id"]!.GetValue<Guid>());

        var received = await bob.WaitForEventAsync("messageReceived", m => m.GetProperty("conversationId").GetGuid() == conversationId, TimeSpan.FromSeconds(10));
        Assert.Equal("minutes.pdf", received.GetProperty("attachments")[0].GetProperty("fileName").GetString());
        Assert.Equal(pdf, await bob.Http.GetByteArrayAsync(received.GetProperty("attachments")[0].GetProperty("url").GetString()));

        var again = await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages",
            new { clientMessageId = "reuse", content = "again", attachmentIds = new[] { attachmentId } });
        await AssertErrorAsync(again, HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task BadFilesAreRefusedWithTheirCodesAndNothingIsStored()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var eve = await ChatUser.RegisterAsync(chat.BaseAddress, "eve");
        var conversationId = await GroupAsync(alice);
        var pdf = "%PDF-1.7\n"u8.ToArray();

        await AssertErrorAsync(await PostFileAsync(alice, conversationId, pdf, "x.png", "image/png"), HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
        await AssertErrorAsync(await PostFileAsync(alice, conversationId, "MZ\u0090\0\u0003\0\0\0"u8.ToArray(), "setup.exe", "application/octet-stream"), HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
        await AssertErrorAsync(await PostFileAsync(alice, conversationId, "<html><script>alert(1)</script>"u8.ToArray(), "a.html", "text/html"), HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
        await AssertErrorAsync(await PostFileAsync(alice, conversationId, new byte[SmallAttachmentsDeployment.MaxSize + 1].Select((_, i) => (byte)('a' + (i % 26))).ToArray(), "big.txt", "text/plain"), HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        await AssertErrorAsync(await PostFileAsync(eve, conversationId, pdf, "x.pdf", "application/pdf"), HttpStatusCode.NotFound, "NOT_FOUND");
        await AssertErrorAsync(await alice.Http.PostAsync("/api/v1/attachments", new ByteArrayContent(pdf) { Headers = { ContentType = new("application/pdf") } }), HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
        await AssertErrorAsync(await alice.Http.PostAsJsonAsync("/api/v1/uploads", new { conversationId, fileName = "a.html", contentType = "text/html", size = 10 }), HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
        await AssertErrorAsync(await alice.Http.PostAsJsonAsync("/api/v1/uploads", new { conversationId, fileName = "a.zip", contentType = "application/zip", size = SmallAttachmentsDeployment.MaxSize + 1 }), HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        await AssertErrorAsync(await alice.Http.GetAsync($"/api/v1/attachments/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "NOT_FOUND");
        var hugeField = new MultipartFormDataContent { { new StringContent(new string('a', 1_000_000)), "conversationId" } };
        await AssertErrorAsync(await alice.Http.PostAsync("/api/v1/attachments", hugeField), HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        // The refused uploads left nothing behind that a message could use.
        var message = await alice.Http.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages",
            new { clientMessageId = "ghost", content = "x", attachmentIds = new[] { Guid.NewGuid() } });
        await AssertErrorAsync(message, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task AResumableUploadContinuesWhereItStoppedAndChecksTheHash()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        var conversationId = await GroupAsync(alice);
        var bytes = Zip(700 * 1024);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var upload = await alice.PostJsonAsync("/api/v1/uploads", new { conversationId, fileName = "backup.zip", contentType = "application/zip", size = bytes.Length }, 201);
        var uploadId = upload["uploadId"]!.GetValue<Guid>();
        var chunkSize = upload["chunkSize"]!.GetValue<int>();
        Assert.Equal(SmallAttachmentsDeployment.ChunkSize, chunkSize);
        Assert.Equal(3, upload["chunkCount"]!.GetValue<int>());
        await PutChunkAsync(alice, uploadId, 0, bytes, chunkSize, HttpStatusCode.NoContent);
        await PutChunkAsync(alice, uploadId, 1, bytes, chunkSize, HttpStatusCode.NoContent);

        // The connection dropped here. A new client asks what arrived and sends the rest.
        var state = await alice.GetJsonAsync($"/api/v1/uploads/{uploadId}");
        Assert.Equal([0, 1], state["receivedChunks"]!.AsArray().Select(n => n!.GetValue<int>()));
        await AssertErrorAsync(await alice.Http.PostAsJsonAsync($"/api/v1/uploads/{uploadId}/complete", new { sha256 }), HttpStatusCode.Conflict, "CONFLICT");
        await PutChunkAsync(alice, uploadId, 1, bytes, chunkSize, HttpStatusCode.NoContent); // re-sent: harmless
        await AssertErrorAsync(await alice.Http.PutAsync($"/api/v1/uploads/{uploadId}/chunks/2", new ByteArrayContent(new byte[10])), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await AssertErrorAsync(await alice.Http.PutAsync($"/api/v1/uploads/{uploadId}/chunks/3", new ByteArrayContent(new byte[10])), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await PutChunkAsync(alice, uploadId, 2, bytes, chunkSize, HttpStatusCode.NoContent);

        var attachment = await alice.PostJsonAsync($"/api/v1/uploads/{uploadId}/complete", new { sha256 }, 201);
        Assert.Equal(uploadId, attachment["id"]!.GetValue<Guid>());
        Assert.Equal(sha256, attachment["sha256"]!.GetValue<string>());
        Assert.Equal(bytes, await alice.Http.GetByteArrayAsync(attachment["url"]!.GetValue<string>()));
        var retried = await alice.PostJsonAsync($"/api/v1/uploads/{uploadId}/complete", new { sha256 }, 201); // the answer was lost
        Assert.Equal(uploadId, retried["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task AResumableUploadWithTheWrongHashOrTypeIsDiscarded()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        var conversationId = await GroupAsync(alice);
        var bytes = Zip(1000);
        var upload = await alice.PostJsonAsync("/api/v1/uploads", new { conversationId, fileName = "a.zip", contentType = "application/zip", size = bytes.Length }, 201);
        var uploadId = upload["uploadId"]!.GetValue<Guid>();
        await PutChunkAsync(alice, uploadId, 0, bytes, 1000, HttpStatusCode.NoContent);
        await AssertErrorAsync(await alice.Http.PostAsJsonAsync($"/api/v1/uploads/{uploadId}/complete", new { sha256 = new string('0', 64) }), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Empty((await alice.GetJsonAsync($"/api/v1/uploads/{uploadId}"))["receivedChunks"]!.AsArray());

        var pretend = await alice.PostJsonAsync("/api/v1/uploads", new { conversationId, fileName = "b.png", contentType = "image/png", size = bytes.Length }, 201);
        var response = await alice.Http.PutAsync($"/api/v1/uploads/{pretend["uploadId"]}/chunks/0", new ByteArrayContent(bytes));
        await AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
    }

    [Fact]
    public async Task AnAvatarIsSetFromAnUploadedImageAndShownToOthers()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        await using var bob = await ChatUser.RegisterAsync(chat.BaseAddress, "bob");
        var conversationId = await GroupAsync(alice);
        var attachment = await UploadAsync(alice, conversationId, Png(300, 300), "me.png", "image/png", 201);
        var response = await alice.Http.PatchAsJsonAsync("/api/v1/users/me", new { statusMessage = "on holiday", avatarAttachmentId = attachment["id"]!.GetValue<Guid>() });
        var me = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("on holiday", me["statusMessage"]!.GetValue<string>());
        var avatarUrl = (await bob.GetJsonAsync($"/api/v1/users/{alice.Id}"))["avatarUrl"]!.GetValue<string>();
        Assert.Equal((300, 300), Size(await WaitForPreviewAsync(bob, avatarUrl)));

        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync("/api/v1/users/me/avatar")).StatusCode);
        Assert.Null((await bob.GetJsonAsync($"/api/v1/users/{alice.Id}"))["avatarUrl"]);
        await AssertErrorAsync(await bob.Http.GetAsync($"/api/v1/users/{alice.Id}/avatar"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    internal static async Task<Guid> GroupAsync(ChatUser owner, params ChatUser[] members)
    {
        var group = await owner.PostJsonAsync("/api/v1/conversations/group", new { name = "files", memberIds = members.Select(m => m.Id).ToArray() }, 201);
        return group["id"]!.GetValue<Guid>();
    }

    internal static Task<HttpResponseMessage> PostFileAsync(ChatUser user, Guid conversationId, byte[] bytes, string fileName, string contentType) =>
        PostFileAsync(user, conversationId, new ByteArrayContent(bytes), fileName, contentType);

    internal static Task<HttpResponseMessage> PostFileAsync(ChatUser user, Guid conversationId, HttpContent file, string fileName, string contentType)
    {
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var form = new MultipartFormDataContent { { new StringContent(conversationId.ToString()), "conversationId" }, { file, "file", fileName } };
        return user.Http.PostAsync("/api/v1/attachments", form);
    }

    private static async Task<JsonObject> UploadAsync(ChatUser user, Guid conversationId, byte[] bytes, string fileName, string contentType, int expected)
    {
        var response = await PostFileAsync(user, conversationId, bytes, fileName, contentType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"upload: expected {expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    internal static async Task PutChunkAsync(ChatUser user, Guid uploadId, int index, byte[] bytes, int chunkSize, HttpStatusCode expected)
    {
        var start = index * chunkSize;
        var content = new ByteArrayContent(bytes, start, Math.Min(chunkSize, bytes.Length - start));
        var response = await user.Http.PutAsync($"/api/v1/uploads/{uploadId}/chunks/{index}", content);
        Assert.True(response.StatusCode == expected, $"chunk {index}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    internal static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal(code, JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>());
    }

    private static async Task<byte[]> WaitForPreviewAsync(ChatUser user, string url)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var response = await user.Http.GetAsync(url);
            if (response.IsSuccessStatusCode)
            {
                Assert.Equal("image/webp", response.Content.Headers.ContentType!.MediaType);
                return await response.Content.ReadAsByteArrayAsync();
            }

            await Task.Delay(100); // previews are made in the silo after the upload returns
        }

        throw new TimeoutException($"No preview at {url} within 20 s.");
    }

    /// <summary>Bytes that sniff as a zip archive: the local-file-header signature, then noise.</summary>
    internal static byte[] Zip(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        "PK\u0003\u0004"u8.CopyTo(bytes);
        return bytes;
    }

    private static byte[] Png(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(SKColors.Orange);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static (int, int) Size(byte[] image)
    {
        using var bitmap = SKBitmap.Decode(image);
        return (bitmap.Width, bitmap.Height);
    }
}

/// <summary>Blob storage going away and coming back, on a deployment of its own (it stops that deployment's Azurite).</summary>
public sealed class BlobOutageTests(ChatDeployment chat) : IClassFixture<ChatDeployment>
{
    [Fact]
    public async Task ReadinessFollowsBlobStorageAndDownloadsFailWith503WhileItIsDown()
    {
        await using var alice = await ChatUser.RegisterAsync(chat.BaseAddress, "alice");
        var conversationId = await AttachmentTests.GroupAsync(alice);
        var bytes = "%PDF-1.7\n"u8.ToArray();
        var created = await AttachmentTests.PostFileAsync(alice, conversationId, bytes, "a.pdf", "application/pdf");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var url = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["url"]!.GetValue<string>();
        using var http = new HttpClient { BaseAddress = chat.BaseAddress };

        await chat.Azurite.StopAsync();
        try
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health/ready")).StatusCode);
            await AttachmentTests.AssertErrorAsync(await alice.Http.GetAsync(url), HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE");
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            await chat.Azurite.RestartAsync();
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(bytes, await alice.Http.GetByteArrayAsync(url));
    }
}
