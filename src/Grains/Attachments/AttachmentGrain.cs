using Azure.Storage.Blobs.Models;
using Chat.BlobStorage;
using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.Grains.Attachments;

/// <summary>
/// The owner of one attachment's metadata row. Access follows conversation membership, asked of the
/// conversation's grain at each call, so a member who leaves loses access at once. Previews are made on a
/// one-shot timer after the store returns; the maintenance sweep resumes any that a dead silo left unmade.
/// </summary>
[GrainType("attachment")]
internal sealed partial class AttachmentGrain(
    AttachmentStore store,
    AttachmentBlobs blobs,
    ImagePreviews previews,
    IOptions<AttachmentOptions> options,
    TimeProvider clock,
    ILogger<AttachmentGrain> logger) : Grain, IAttachmentGrain
{
    private AttachmentStore.Row? _row;
    private IGrainTimer? _previewTimer;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => _row = await store.FindAsync(Id);

    public async Task<UploadSession> BeginUploadAsync(Guid callerId, NewUpload upload)
    {
        if (_row is not null)
        {
            throw ChatException.Conflict("This upload id is already in use.");
        }

        RequireSize(upload.Size);
        await RequireMemberAsync(callerId, upload.ConversationId);
        var session = new UploadSession(Id, upload.ConversationId, callerId, upload.FileName, upload.ContentType, upload.Size,
            options.Value.ChunkSize, clock.UtcNowForStorage());
        await store.InsertUploadAsync(session);
        _row = await store.FindAsync(Id);
        return session;
    }

    public Task<UploadSession> GetUploadAsync(Guid callerId) => Task.FromResult(OpenUploadOf(callerId));

    public async Task<AttachmentInfo> StoreAsync(Guid callerId, StoredFile file)
    {
        RequireSize(file.Size);
        if (_row is { IsUploading: true })
        {
            var upload = OpenUploadOf(callerId);
            if (upload.ConversationId != file.ConversationId || upload.Size != file.Size)
            {
                throw ChatException.Validation("The stored file does not match its upload.");
            }
        }
        else if (_row is { Status: "stored", Info: var existing })
        {
            // A completion retried after its answer was lost gets the same attachment back.
            return existing.UploaderId == callerId && existing.Sha256 == file.Sha256
                ? existing
                : throw ChatException.Conflict("This attachment id is already in use.");
        }
        else if (_row is not null)
        {
            throw ChatException.Conflict("This attachment id is already in use.");
        }

        await RequireMemberAsync(callerId, file.ConversationId);
        var size = file.ContentType.StartsWith("image/", StringComparison.Ordinal) ? await ReadImageSizeAsync(file.ConversationId) : null;
        var info = new AttachmentInfo(Id, file.ConversationId, callerId, file.FileName, file.ContentType, file.Size, file.Sha256,
            size?.Width, size?.Height, HasPreviews: false, _row?.Info.CreatedAt ?? clock.UtcNowForStorage());
        var previewsDone = size is null;
        await store.UpsertStoredAsync(info, previewsDone);

        _row = new AttachmentStore.Row(info, "stored", null, previewsDone, null);
        if (!previewsDone)
        {
            StartPreviews();
        }

        return info;
    }

    public async Task<AttachmentInfo> GetAsync(Guid callerId)
    {
        if (_row is { Status: "stored", Info: var info } && await IsMemberAsync(callerId, info.ConversationId))
        {
            return info;
        }

        throw ChatException.NotFound("No such attachment.");
    }

    public async Task<AttachmentInfo> GetAvatarOfAsync(Guid userId) =>
        _row is { Status: "stored", Info: { IsImage: true } info } && await store.IsAvatarOfAsync(Id, userId)
            ? info
            : throw ChatException.NotFound("No such avatar.");

    public Task EnsurePreviewsAsync()
    {
        if (_row is { Status: "stored", PreviewsDone: false } && _previewTimer is null)
        {
            StartPreviews();
        }

        return Task.CompletedTask;
    }

    public async Task DeleteAsync()
    {
        if (_row is not { Status: "stored", Info: var info })
        {
            return;
        }

        // The row first: once it says deleted nobody is served the bytes, whatever happens to the blobs.
        await store.MarkDeletedAsync(Id);
        _row = _row with { Status = "deleted" };
        foreach (var blob in new[] { blobs.Original(info.ConversationId, Id), blobs.Preview(info.ConversationId, Id, AttachmentBlobs.Thumbnail), blobs.Preview(info.ConversationId, Id, AttachmentBlobs.Medium) })
        {
            await blob.DeleteIfExistsAsync();
        }
    }

    public async Task<bool> DeleteIfAbandonedAsync(DateTimeOffset openedBefore)
    {
        if (_row is not { IsUploading: true, Info: var upload } || upload.CreatedAt >= openedBefore)
        {
            return false;
        }

        await blobs.DeleteWithStagedBlocksAsync(blobs.Original(upload.ConversationId, Id));
        await store.DeleteUploadAsync(Id);
        _row = null;
        DeactivateOnIdle();
        return true;
    }

    private UploadSession OpenUploadOf(Guid callerId) =>
        _row is { IsUploading: true, Info: var i, ChunkSize: { } chunkSize } && i.UploaderId == callerId
            ? new UploadSession(Id, i.ConversationId, i.UploaderId, i.FileName, i.ContentType, i.Size, chunkSize, i.CreatedAt)
            : throw ChatException.NotFound("No such upload.");

    private void RequireSize(long size)
    {
        if (size < 1)
        {
            throw ChatException.Validation("An attachment has at least one byte.");
        }

        if (size > options.Value.MaxSize)
        {
            throw new ChatException(ErrorCodes.PayloadTooLarge, $"An attachment is at most {options.Value.MaxSize} bytes.");
        }
    }

    private async Task RequireMemberAsync(Guid userId, Guid conversationId)
    {
        if (!await IsMemberAsync(userId, conversationId))
        {
            throw ChatException.NotFound("No such conversation.");
        }
    }

    private Task<bool> IsMemberAsync(Guid userId, Guid conversationId) =>
        GrainFactory.GetGrain<IConversationGrain>(conversationId).IsMemberAsync(userId);

    /// <summary>The displayed size from the image header (one small ranged read), so messages carry it at once.</summary>
    private async Task<(int Width, int Height)?> ReadImageSizeAsync(Guid conversationId)
    {
        var blob = blobs.Original(conversationId, Id);
        return await Task.Run(() =>
        {
            using var stream = blob.OpenRead(new BlobOpenReadOptions(allowModifications: false) { BufferSize = 64 * 1024 });
            return ImagePreviews.ReadSize(stream);
        });
    }

    private void StartPreviews() =>
        _previewTimer = this.RegisterGrainTimer(MakePreviewsAsync,
            new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = true });

    private async Task MakePreviewsAsync(CancellationToken cancellationToken)
    {
        var info = _row!.Info;
        try
        {
            var original = blobs.Original(info.ConversationId, Id);
            // Decoding is CPU work with blocking reads: keep it off the grain scheduler.
            var result = await Task.Run(() =>
            {
                using var stream = original.OpenRead(new BlobOpenReadOptions(allowModifications: false), cancellationToken);
                return previews.Make(stream);
            }, cancellationToken);
            var hasPreviews = result is { Thumbnail: not null, Medium: not null };
            if (hasPreviews)
            {
                await UploadPreviewAsync(info, AttachmentBlobs.Thumbnail, result!.Thumbnail!, cancellationToken);
                await UploadPreviewAsync(info, AttachmentBlobs.Medium, result.Medium!, cancellationToken);
            }

            await store.SetPreviewsAsync(Id, result?.Width ?? info.Width, result?.Height ?? info.Height, hasPreviews);
            _row = _row with { PreviewsDone = true, Info = info with { Width = result?.Width ?? info.Width, Height = result?.Height ?? info.Height, HasPreviews = hasPreviews } };
        }
        catch (Exception exception)
        {
            // Left unfinished in the table: the maintenance sweep tries again.
            LogPreviewsFailed(logger, exception, Id);
        }
        finally
        {
            _previewTimer?.Dispose();
            _previewTimer = null;
        }
    }

    private Task UploadPreviewAsync(AttachmentInfo info, string size, byte[] webp, CancellationToken cancellationToken) =>
        blobs.Preview(info.ConversationId, Id, size).UploadAsync(new MemoryStream(webp),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "image/webp" } }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attachment {AttachmentId}: making previews failed; the maintenance sweep will retry")]
    private static partial void LogPreviewsFailed(ILogger logger, Exception exception, Guid attachmentId);
}
