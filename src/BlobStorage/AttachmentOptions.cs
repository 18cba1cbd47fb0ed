namespace Chat.BlobStorage;

/// <summary>Attachment limits and storage behaviour, under <c>Chat:Attachments</c>; the blob account is <c>ConnectionStrings:Blobs</c>.</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Chat:Attachments";
    public const string ConnectionStringName = "Blobs";

    public string Container { get; set; } = "attachments";

    /// <summary>The largest file accepted (API.md: 100 MiB).</summary>
    public long MaxSize { get; set; } = 100L * 1024 * 1024;

    /// <summary>The chunk size a resumable upload is cut into; each chunk becomes one staged block.</summary>
    public int ChunkSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>An upload not completed within this time is deleted with its staged blocks.</summary>
    public TimeSpan AbandonedUploadAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the silo looks for abandoned uploads (Orleans reminders tick at most once a minute).</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><c>Redirect</c>: 302 to a short-lived read-only SAS URL. <c>Stream</c>: the frontend streams the bytes.</summary>
    public string Downloads { get; set; } = "Stream";

    public TimeSpan SignedUrlLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest edge, in pixels, of the thumbnail and of the medium-size preview.</summary>
    public int ThumbnailEdge { get; set; } = 256;
    public int MediumEdge { get; set; } = 1024;

    /// <summary>Images larger than this many pixels are stored but not decoded for previews.</summary>
    public long MaxImagePixels { get; set; } = 50_000_000;

    public bool RedirectDownloads => Downloads.Equals("Redirect", StringComparison.OrdinalIgnoreCase);
}
