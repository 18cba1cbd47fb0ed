using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Microsoft.Extensions.Options;

namespace Chat.BlobStorage;

/// <summary>
/// Where attachment bytes live: one container; the original at <c>{conversationId}/{attachmentId}</c> and its
/// previews beside it at <c>{conversationId}/{attachmentId}/{size}</c>. Metadata and access checks are in PostgreSQL.
/// </summary>
public sealed class AttachmentBlobs(BlobServiceClient service, IOptions<AttachmentOptions> options)
{
    public const string Thumbnail = "thumbnail";
    public const string Medium = "medium";

    public BlobContainerClient Container { get; } = service.GetBlobContainerClient(options.Value.Container);

    public BlockBlobClient Original(Guid conversationId, Guid attachmentId) =>
        Container.GetBlockBlobClient($"{conversationId}/{attachmentId}");

    public BlockBlobClient Preview(Guid conversationId, Guid attachmentId, string size) =>
        Container.GetBlockBlobClient($"{conversationId}/{attachmentId}/{size}");

    public Task EnsureContainerAsync(CancellationToken cancellationToken = default) =>
        Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    /// <summary>The block id of chunk <paramref name="index"/>: fixed width, so every id of a blob has the same length.</summary>
    public static string BlockId(int index) => Convert.ToBase64String(BitConverter.GetBytes(index).Concat(new byte[4]).ToArray());

    public static int BlockIndex(string blockId) => BitConverter.ToInt32(Convert.FromBase64String(blockId), 0);

    /// <summary>The chunk indexes already staged for an upload in progress.</summary>
    public async Task<IReadOnlySet<int>> StagedChunksAsync(BlockBlobClient blob, CancellationToken cancellationToken = default)
    {
        try
        {
            var list = await blob.GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: cancellationToken);
            return list.Value.UncommittedBlocks.Select(b => BlockIndex(b.Name)).ToHashSet();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return new HashSet<int>();
        }
    }

    /// <summary>
    /// Deletes a blob and anything staged for it. Staged blocks of a blob that was never committed cannot be
    /// deleted directly; committing an empty block list discards them, then the empty blob is deleted.
    /// </summary>
    public async Task DeleteWithStagedBlocksAsync(BlockBlobClient blob, CancellationToken cancellationToken = default)
    {
        await blob.CommitBlockListAsync([], cancellationToken: cancellationToken);
        await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
    }

    /// <summary>A read-only URL valid for <see cref="AttachmentOptions.SignedUrlLifetime"/>; null when the account key is unknown.</summary>
    public Uri? SignedReadUrl(BlobBaseClient blob, string fileName, string contentType)
    {
        if (!blob.CanGenerateSasUri)
        {
            return null;
        }

        var sas = new BlobSasBuilder(BlobSasPermissions.Read, DateTimeOffset.UtcNow.Add(options.Value.SignedUrlLifetime))
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            ContentType = contentType,
            ContentDisposition = ContentDisposition(fileName),
        };
        return blob.GenerateSasUri(sas);
    }

    /// <summary>An attachment header whose file name survives any characters (RFC 6266 filename*).</summary>
    public static string ContentDisposition(string fileName) =>
        new System.Net.Mime.ContentDisposition { DispositionType = "attachment", FileName = fileName }.ToString();
}
