namespace Chat.Grains.Attachments;

/// <summary>
/// One attachment (key: attachment id, which is also its upload id): its metadata, who may see it, its previews.
/// The frontend moves the bytes; this grain decides what they are allowed to become.
/// </summary>
[Alias("chat.IAttachmentGrain")]
public interface IAttachmentGrain : IGrainWithGuidKey
{
    /// <summary>Opens a resumable upload for a member of the conversation.</summary>
    [Alias("BeginUpload")]
    Task<UploadSession> BeginUploadAsync(Guid callerId, NewUpload upload);

    /// <summary>The open upload, for its uploader only: NOT_FOUND for anyone else and once it is complete.</summary>
    [Alias("GetUpload")]
    Task<UploadSession> GetUploadAsync(Guid callerId);

    /// <summary>
    /// Records stored bytes as an attachment: a direct upload, or the completion of the caller's open upload.
    /// Images get their previews made afterwards, off the request path.
    /// </summary>
    [Alias("Store")]
    Task<AttachmentInfo> StoreAsync(Guid callerId, StoredFile file);

    /// <summary>The attachment, for members of its conversation only (NOT_FOUND otherwise).</summary>
    [Alias("Get")]
    Task<AttachmentInfo> GetAsync(Guid callerId);

    /// <summary>The attachment if it is the avatar of <paramref name="userId"/>, which any signed-in user may see.</summary>
    [Alias("GetAvatarOf")]
    Task<AttachmentInfo> GetAvatarOfAsync(Guid userId);

    /// <summary>Deletes the bytes and previews of an attachment whose message was deleted for everyone.</summary>
    [Alias("Delete")]
    Task DeleteAsync();

    /// <summary>Makes the previews if they are due and not being made (after a silo died while making them).</summary>
    [Alias("EnsurePreviews")]
    Task EnsurePreviewsAsync();

    /// <summary>Deletes the upload and its staged blocks if it is still open and older than <paramref name="openedBefore"/>.</summary>
    [Alias("DeleteIfAbandoned")]
    Task<bool> DeleteIfAbandonedAsync(DateTimeOffset openedBefore);
}

/// <summary>
/// On a reminder (key: 0, one per cluster): deletes abandoned uploads and resumes previews a dead silo left unmade.
/// </summary>
[Alias("chat.IAttachmentMaintenanceGrain")]
public interface IAttachmentMaintenanceGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the periodic reminder; idempotent.</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>One sweep now; returns how many abandoned uploads were deleted.</summary>
    [Alias("Sweep")]
    Task<int> SweepAsync();
}
