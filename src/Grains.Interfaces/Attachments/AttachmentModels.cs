namespace Chat.Grains.Attachments;

/// <summary>A stored attachment: its bytes are in blob storage, this is its metadata row.</summary>
[GenerateSerializer, Immutable, Alias("chat.attachment")]
public sealed record AttachmentInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ConversationId,
    [property: Id(2)] Guid UploaderId,
    [property: Id(3)] string FileName,
    [property: Id(4)] string ContentType,
    [property: Id(5)] long Size,
    [property: Id(6)] string Sha256,
    [property: Id(7)] int? Width,
    [property: Id(8)] int? Height,
    [property: Id(9)] bool HasPreviews,
    [property: Id(10)] DateTimeOffset CreatedAt)
{
    public bool IsImage => ContentType.StartsWith("image/", StringComparison.Ordinal);
}

/// <summary>What a client announces before a resumable upload.</summary>
[GenerateSerializer, Immutable, Alias("chat.new-upload")]
public sealed record NewUpload(
    [property: Id(0)] Guid ConversationId,
    [property: Id(1)] string FileName,
    [property: Id(2)] string ContentType,
    [property: Id(3)] long Size);

/// <summary>An upload in progress: chunk i covers bytes [i * ChunkSize, min(Size, (i + 1) * ChunkSize)).</summary>
[GenerateSerializer, Immutable, Alias("chat.upload-session")]
public sealed record UploadSession(
    [property: Id(0)] Guid UploadId,
    [property: Id(1)] Guid ConversationId,
    [property: Id(2)] Guid UploaderId,
    [property: Id(3)] string FileName,
    [property: Id(4)] string ContentType,
    [property: Id(5)] long Size,
    [property: Id(6)] int ChunkSize,
    [property: Id(7)] DateTimeOffset CreatedAt)
{
    public int ChunkCount => (int)((Size + ChunkSize - 1) / ChunkSize);

    public long ChunkLength(int index) => Math.Min(ChunkSize, Size - ((long)index * ChunkSize));
}

/// <summary>Bytes the frontend has written to blob storage, with the type it sniffed and the hash it computed.</summary>
[GenerateSerializer, Immutable, Alias("chat.stored-file")]
public sealed record StoredFile(
    [property: Id(0)] Guid ConversationId,
    [property: Id(1)] string FileName,
    [property: Id(2)] string ContentType,
    [property: Id(3)] long Size,
    [property: Id(4)] string Sha256);
