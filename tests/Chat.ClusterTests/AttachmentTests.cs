using Azure.Storage.Blobs;
using Chat.BlobStorage;
using Chat.Grains.Accounts;
using Chat.Grains.Attachments;
using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.Grains.History;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Chat.ClusterTests;

/// <summary>Attachment grains against a real Azurite: access by membership, previews, message links, cleanup.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AttachmentTests(ClusterFixture fixture)
{
    private readonly AttachmentBlobs _blobs = new(new BlobServiceClient(fixture.BlobConnectionString), Options.Create(new AttachmentOptions()));

    [Fact]
    public async Task AStoredImageGetsItsSizeAtOnceAndItsPreviewsSoonAfterAndOnlyMembersSeeIt()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var outsider = (await fixture.NewUsersAsync(1))[0];
        var attachment = await StoreAsync(conversation.GetPrimaryKey(), users[0], Png(640, 480), "image/png");

        Assert.Equal((640, 480), (attachment.Width, attachment.Height));
        var grain = fixture.Client.GetGrain<IAttachmentGrain>(attachment.Id);
        var seen = await WaitForPreviewsAsync(grain, users[1]);
        Assert.True(seen.HasPreviews);
        Assert.True(await _blobs.Preview(seen.ConversationId, seen.Id, AttachmentBlobs.Thumbnail).ExistsAsync());
        Assert.True(await _blobs.Preview(seen.ConversationId, seen.Id, AttachmentBlobs.Medium).ExistsAsync());
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<ChatException>(() => grain.GetAsync(outsider))).Code);
    }

    [Fact]
    public async Task OnlyAMemberMayStoreIntoAConversation()
    {
        var (conversation, _) = await fixture.NewGroupAsync(1);
        var outsider = (await fixture.NewUsersAsync(1))[0];
        var error = await Assert.ThrowsAsync<ChatException>(() => StoreAsync(conversation.GetPrimaryKey(), outsider, "hello"u8.ToArray(), "text/plain"));
        Assert.Equal(ErrorCodes.NotFound, error.Code);
    }

    [Fact]
    public async Task MessagesCarryTheirAttachmentsInOrderAndEachAttachmentJoinsOneMessage()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var id = conversation.GetPrimaryKey();
        var first = await StoreAsync(id, users[0], "first"u8.ToArray(), "text/plain");
        var second = await StoreAsync(id, users[0], "second"u8.ToArray(), "text/plain");
        var byOther = await StoreAsync(id, users[1], "theirs"u8.ToArray(), "text/plain");

        var sent = await conversation.SendAsync(users[0], new SendMessageRequest("m1", "two files", "file", "plain", null, [second.Id, first.Id]));
        Assert.Equal([second.Id, first.Id], sent.Message.Attachments.Select(a => a.Id));
        var retried = await conversation.SendAsync(users[0], new SendMessageRequest("m1", "two files", "file", "plain", null, [second.Id, first.Id]));
        Assert.False(retried.Created);
        Assert.Equal(sent.Message.Seq, retried.Message.Seq);

        var read = await fixture.Client.GetGrain<IHistoryGrain>(0).GetMessageAsync(users[1], id, sent.Message.Seq);
        Assert.Equal([second.Id, first.Id], read.Attachments.Select(a => a.Id));
        Assert.Equal(first.Sha256, read.Attachments[1].Sha256);

        var reused = await Assert.ThrowsAsync<ChatException>(() => conversation.SendAsync(users[0], new SendMessageRequest("m2", "again", "file", "plain", null, [first.Id])));
        Assert.Equal(ErrorCodes.Conflict, reused.Code);
        var notMine = await Assert.ThrowsAsync<ChatException>(() => conversation.SendAsync(users[0], new SendMessageRequest("m3", "x", "file", "plain", null, [byOther.Id])));
        Assert.Equal(ErrorCodes.Validation, notMine.Code);
        var (elsewhere, _) = await fixture.NewGroupAsync(1);
        var foreign = await Assert.ThrowsAsync<ChatException>(() => elsewhere.SendAsync(users[0], new SendMessageRequest("m4", "x", "file", "plain", null, [byOther.Id])));
        Assert.Equal(ErrorCodes.NotFound, foreign.Code); // users[0] is no member there
    }

    [Fact]
    public async Task DeletingAMessageForEveryoneDeletesItsAttachments()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var image = await StoreAsync(conversation.GetPrimaryKey(), users[0], Png(32, 32), "image/png");
        await WaitForPreviewsAsync(fixture.Client.GetGrain<IAttachmentGrain>(image.Id), users[0]);
        var sent = await conversation.SendAsync(users[0], new SendMessageRequest("p", "", "image", "plain", null, [image.Id]));

        await conversation.DeleteAsync(users[0], sent.Message.Seq, DeleteScopes.Everyone);

        Assert.Empty((await fixture.Client.GetGrain<IHistoryGrain>(0).GetMessageAsync(users[1], conversation.GetPrimaryKey(), sent.Message.Seq)).Attachments);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<ChatException>(() => fixture.Client.GetGrain<IAttachmentGrain>(image.Id).GetAsync(users[1]))).Code);
        Assert.False(await _blobs.Original(image.ConversationId, image.Id).ExistsAsync());
        Assert.False(await _blobs.Preview(image.ConversationId, image.Id, AttachmentBlobs.Thumbnail).ExistsAsync());
    }

    [Fact]
    public async Task AbandonedUploadsAreDeletedWithTheirStagedBlocks()
    {
        var (conversation, users) = await fixture.NewGroupAsync(1);
        var id = Guid.NewGuid();
        var grain = fixture.Client.GetGrain<IAttachmentGrain>(id);
        var upload = await grain.BeginUploadAsync(users[0], new NewUpload(conversation.GetPrimaryKey(), "big.bin", "application/zip", 10_000_000));
        var blob = _blobs.Original(upload.ConversationId, id);
        await blob.StageBlockAsync(AttachmentBlobs.BlockId(0), new MemoryStream(new byte[1000]));
        Assert.Equal([0], await _blobs.StagedChunksAsync(blob));

        var maintenance = fixture.Client.GetGrain<IAttachmentMaintenanceGrain>(0);
        await Task.Delay(ClusterFixture.AbandonedUploadAfter + TimeSpan.FromSeconds(1)); // the upload must age past the configured limit
        Assert.True(await maintenance.SweepAsync() >= 1);

        Assert.Empty(await _blobs.StagedChunksAsync(blob));
        Assert.False(await blob.ExistsAsync());
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<ChatException>(() => grain.GetUploadAsync(users[0]))).Code);
    }

    [Fact]
    public async Task AnUploadIsForItsUploaderAndItsDeclaredSizeIsLimited()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var grain = fixture.Client.GetGrain<IAttachmentGrain>(Guid.NewGuid());
        var tooLarge = await Assert.ThrowsAsync<ChatException>(() =>
            grain.BeginUploadAsync(users[0], new NewUpload(conversation.GetPrimaryKey(), "huge.zip", "application/zip", 100L * 1024 * 1024 + 1)));
        Assert.Equal(ErrorCodes.PayloadTooLarge, tooLarge.Code);

        await grain.BeginUploadAsync(users[0], new NewUpload(conversation.GetPrimaryKey(), "a.zip", "application/zip", 100));
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<ChatException>(() => grain.GetUploadAsync(users[1]))).Code);
    }

    [Fact]
    public async Task AnAvatarMustBeAnImageTheUserUploaded()
    {
        var (conversation, users) = await fixture.NewGroupAsync(2);
        var accounts = fixture.Client.GetGrain<IAccountsGrain>(0);
        var text = await StoreAsync(conversation.GetPrimaryKey(), users[0], "not a picture"u8.ToArray(), "text/plain");
        var image = await StoreAsync(conversation.GetPrimaryKey(), users[0], Png(64, 64), "image/png");

        Assert.Equal(ErrorCodes.Validation, (await Assert.ThrowsAsync<ChatException>(() => accounts.SetAvatarAsync(users[0], text.Id))).Code);
        Assert.Equal(ErrorCodes.Validation, (await Assert.ThrowsAsync<ChatException>(() => accounts.SetAvatarAsync(users[1], image.Id))).Code);
        Assert.Equal(image.Id, (await accounts.SetAvatarAsync(users[0], image.Id)).AvatarAttachmentId);
        Assert.Equal(image.Id, (await fixture.Client.GetGrain<IAttachmentGrain>(image.Id).GetAvatarOfAsync(users[0])).Id);
        await Assert.ThrowsAsync<ChatException>(() => fixture.Client.GetGrain<IAttachmentGrain>(image.Id).GetAvatarOfAsync(users[1]));
        Assert.Null((await accounts.SetAvatarAsync(users[0], null)).AvatarAttachmentId);
    }

    /// <summary>What the frontend does for a direct upload: bytes to the blob, then the grain records them.</summary>
    private async Task<AttachmentInfo> StoreAsync(Guid conversationId, Guid uploader, byte[] bytes, string contentType)
    {
        var id = Guid.NewGuid();
        await _blobs.Original(conversationId, id).UploadAsync(new MemoryStream(bytes));
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        return await fixture.Client.GetGrain<IAttachmentGrain>(id).StoreAsync(uploader, new StoredFile(conversationId, "f", contentType, bytes.Length, sha256));
    }

    private static async Task<AttachmentInfo> WaitForPreviewsAsync(IAttachmentGrain grain, Guid caller)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var info = await grain.GetAsync(caller);
            if (info.HasPreviews)
            {
                return info;
            }

            await Task.Delay(100); // previews are made on the grain's own timer: nothing to await from here
        }

        throw new TimeoutException("No previews within 20 s.");
    }

    private static byte[] Png(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(SKColors.Teal);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
