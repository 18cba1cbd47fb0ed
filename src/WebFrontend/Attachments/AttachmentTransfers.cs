using System.Buffers;
using System.Security.Cryptography;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Chat.BlobStorage;
using Chat.Grains.Attachments;
using Chat.Grains.Errors;
using Chat.WebFrontend.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Chat.WebFrontend.Attachments;

/// <summary>
/// Moves attachment bytes between HTTP bodies and blob storage without ever holding a whole file: direct uploads
/// stream through in blocks, resumable chunks are staged as blocks, downloads stream or redirect to a signed URL.
/// The bytes' real type is sniffed here; the attachment's grain decides who may have them.
/// </summary>
public sealed class AttachmentTransfers(AttachmentBlobs blobs, IOptions<AttachmentOptions> options, IClusterClient cluster, FrontendMetrics metrics)
{
    private static readonly StorageTransferOptions Blocks = new()
    {
        InitialTransferSize = 4 * 1024 * 1024,
        MaximumTransferSize = 4 * 1024 * 1024,
        MaximumConcurrency = 1,
    };

    private AttachmentOptions Options => options.Value;

    /// <summary>A whole file in one request body: sniff, stream to a new blob while hashing, then record it.</summary>
    public async Task<AttachmentInfo> UploadAsync(Guid callerId, Guid conversationId, string fileName, string? declaredType, Stream body, CancellationToken cancellationToken)
    {
        var head = new byte[FileTypes.SniffLength];
        var headLength = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        if (headLength == 0)
        {
            throw ChatException.Validation("The file is empty.");
        }

        var type = FileTypes.Resolve(declaredType, FileTypes.Sniff(head.AsSpan(0, headLength))) ?? throw UnsupportedType(declaredType);
        var id = Guid.CreateVersion7();
        var blob = blobs.Original(conversationId, id);
        using var source = new HashingStream(head.AsMemory(0, headLength), body, Options.MaxSize);
        try
        {
            await blob.UploadAsync(source, new BlobUploadOptions { HttpHeaders = Headers(type), TransferOptions = Blocks }, cancellationToken);
        }
        catch (Exception exception)
        {
            await DiscardAsync(blob);
            if (source.Count > Options.MaxSize && exception is not ChatException)
            {
                throw TooLarge();
            }

            throw;
        }

        return await StoreAsync(callerId, id, blob, new StoredFile(conversationId, fileName, type, source.Count, source.Sha256Hex()), chunked: false);
    }

    /// <summary>
    /// Stages chunk <paramref name="index"/> as the block of that index. Staging the same index again replaces
    /// the block, so a re-sent chunk is harmless. Holds at most one chunk in memory.
    /// </summary>
    public async Task StageChunkAsync(UploadSession upload, int index, Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        if (index < 0 || index >= upload.ChunkCount)
        {
            throw ChatException.Validation($"Chunk index must be between 0 and {upload.ChunkCount - 1}.");
        }

        var expected = (int)upload.ChunkLength(index);
        if (contentLength is { } length && length != expected)
        {
            throw ChatException.Validation($"Chunk {index} must be exactly {expected} bytes.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(expected + 1);
        try
        {
            var read = await body.ReadAtLeastAsync(buffer.AsMemory(0, expected + 1), expected + 1, throwOnEndOfStream: false, cancellationToken);
            if (read != expected)
            {
                throw ChatException.Validation($"Chunk {index} must be exactly {expected} bytes.");
            }

            if (index == 0 && FileTypes.Resolve(upload.ContentType, FileTypes.Sniff(buffer.AsSpan(0, Math.Min(read, FileTypes.SniffLength)))) is null)
            {
                throw UnsupportedType(upload.ContentType);
            }

            await blobs.Original(upload.ConversationId, upload.UploadId)
                .StageBlockAsync(AttachmentBlobs.BlockId(index), new MemoryStream(buffer, 0, read, writable: false), cancellationToken: cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The chunk indexes staged so far, so a client can resume where it stopped.</summary>
    public Task<IReadOnlySet<int>> ReceivedChunksAsync(UploadSession upload, CancellationToken cancellationToken) =>
        blobs.StagedChunksAsync(blobs.Original(upload.ConversationId, upload.UploadId), cancellationToken);

    /// <summary>
    /// Commits every chunk in order, then reads the blob back once to hash it and sniff its type. A mismatch with
    /// the client's hash or declared type discards the bytes (the upload stays open for the chunks to be re-sent).
    /// </summary>
    public async Task<AttachmentInfo> CompleteAsync(Guid callerId, UploadSession upload, string? expectedSha256, CancellationToken cancellationToken)
    {
        var blob = blobs.Original(upload.ConversationId, upload.UploadId);
        var received = await blobs.StagedChunksAsync(blob, cancellationToken);
        var missing = Enumerable.Range(0, upload.ChunkCount).Where(i => !received.Contains(i)).ToList();
        if (missing.Count > 0)
        {
            throw ChatException.Conflict($"Chunks not received yet: {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", ..." : "")}.");
        }

        await blob.CommitBlockListAsync(Enumerable.Range(0, upload.ChunkCount).Select(AttachmentBlobs.BlockId),
            new CommitBlockListOptions(), cancellationToken);
        var (sha256, head) = await HashAsync(blob, cancellationToken);
        var type = FileTypes.Resolve(upload.ContentType, FileTypes.Sniff(head));
        if (type is null || (expectedSha256 is not null && !expectedSha256.Equals(sha256, StringComparison.OrdinalIgnoreCase)))
        {
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw type is null
                ? UnsupportedType(upload.ContentType)
                : ChatException.Validation("sha256 does not match the bytes received; they were discarded: send the chunks again.");
        }

        await blob.SetHttpHeadersAsync(Headers(type), cancellationToken: cancellationToken);
        return await StoreAsync(callerId, upload.UploadId, blob, new StoredFile(upload.ConversationId, upload.FileName, type, upload.Size, sha256), chunked: true);
    }

    /// <summary>A 302 to a short-lived signed URL when configured and possible, else the bytes, with range support.</summary>
    public async Task<IResult> DownloadAsync(BlockBlobClient blob, string fileName, string contentType, string etag, HttpResponse response, CancellationToken cancellationToken)
    {
        if (Options.RedirectDownloads && blobs.SignedReadUrl(blob, fileName, contentType) is { } url)
        {
            return Results.Redirect(url.AbsoluteUri);
        }

        var stream = await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = 256 * 1024 }, cancellationToken);
        // An attachment is immutable under its id; nosniff keeps browsers from running uploaded text as HTML.
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "private, max-age=31536000, immutable";
        return Results.Stream(stream, contentType, fileName, entityTag: new EntityTagHeaderValue($"\"{etag}\""), enableRangeProcessing: true);
    }

    private async Task<AttachmentInfo> StoreAsync(Guid callerId, Guid attachmentId, BlockBlobClient blob, StoredFile file, bool chunked)
    {
        try
        {
            var stored = await cluster.GetGrain<IAttachmentGrain>(attachmentId).StoreAsync(callerId, file);
            metrics.Uploaded(file.Size, chunked);
            return stored;
        }
        catch (ChatException)
        {
            await blob.DeleteIfExistsAsync(); // refused (the caller left the conversation meanwhile): nobody will reference it
            throw;
        }
    }

    /// <summary>Best effort: what a failed upload staged goes now, or with Azure's own week-long sweep of uncommitted blocks.</summary>
    private async Task DiscardAsync(BlockBlobClient blob)
    {
        try
        {
            await blobs.DeleteWithStagedBlocksAsync(blob, CancellationToken.None);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or OperationCanceledException)
        {
            // The upload's own failure is what the client must hear about, not this one.
        }
    }

    private static async Task<(string Sha256, byte[] Head)> HashAsync(BlockBlobClient blob, CancellationToken cancellationToken)
    {
        var download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken);
        await using var content = download.Value.Content;
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        byte[]? head = null;
        try
        {
            int read;
            while ((read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken)) > 0)
            {
                head ??= buffer.AsSpan(0, Math.Min(read, FileTypes.SniffLength)).ToArray();
                sha256.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (Convert.ToHexStringLower(sha256.GetHashAndReset()), head ?? []);
    }

    private static BlobHttpHeaders Headers(string contentType) => new() { ContentType = contentType };

    private static ChatException UnsupportedType(string? declared) => new(ErrorCodes.UnsupportedMediaType,
        $"The file's bytes are not an allowed type{(declared is null ? "" : $" or do not match the declared {declared}")}.");

    private ChatException TooLarge() => new(ErrorCodes.PayloadTooLarge, $"An attachment is at most {Options.MaxSize} bytes.");
}
