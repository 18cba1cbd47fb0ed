using System.Security.Claims;
using System.Text;
using Chat.BlobStorage;
using Chat.Grains.Attachments;
using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.WebFrontend.Attachments;
using Chat.WebFrontend.Auth;
using Chat.WebFrontend.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Chat.WebFrontend.Api;

public static class AttachmentEndpoints
{
    private const int FieldLimit = 64;

    public sealed record BeginUploadRequest(Guid? ConversationId, string? FileName, string? ContentType, long? Size);

    public sealed record CompleteUploadRequest(string? Sha256);

    public sealed record UploadDto(Guid UploadId, Guid ConversationId, string FileName, string ContentType, long Size,
        int ChunkSize, int ChunkCount, IReadOnlyList<int> ReceivedChunks);

    public static RouteGroupBuilder MapAttachments(this RouteGroupBuilder api)
    {
        var attachments = api.MapGroup("/attachments").WithTags("Attachments").RequireAuthorization();
        attachments.MapPost("/", PostAsync).DisableAntiforgery().Accepts<IFormFile>("multipart/form-data")
            .Produces<AttachmentDto>(StatusCodes.Status201Created);
        attachments.MapGet("/{id:guid}", GetAsync);
        attachments.MapGet("/{id:guid}/thumbnail", GetThumbnailAsync);

        var uploads = api.MapGroup("/uploads").WithTags("Attachments").RequireAuthorization();
        uploads.MapPost("/", BeginUploadAsync);
        uploads.MapGet("/{uploadId:guid}", GetUploadAsync);
        uploads.MapPut("/{uploadId:guid}/chunks/{index:int}", PutChunkAsync).Accepts<byte[]>("application/octet-stream");
        uploads.MapPost("/{uploadId:guid}/complete", CompleteUploadAsync);
        return api;
    }

    /// <summary>
    /// Multipart with a <c>conversationId</c> field before the <c>file</c> part, read section by section so the
    /// file streams to blob storage as it arrives.
    /// </summary>
    private static async Task<IResult> PostAsync(HttpContext http, ClaimsPrincipal user, IClusterClient cluster,
        AttachmentTransfers transfers, IOptions<AttachmentOptions> options)
    {
        var maxSize = options.Value.MaxSize;
        AllowBody(http, maxSize + (1024 * 1024)); // room for the multipart framing and fields
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            throw new ChatException(ErrorCodes.UnsupportedMediaType, "POST /attachments takes multipart/form-data with a conversationId field and a file part.");
        }

        var reader = new MultipartReader(boundary, http.Request.Body) { BodyLengthLimit = maxSize + (1024 * 1024) };
        Guid? conversationId = null;
        while (await NextSectionAsync(reader, http.RequestAborted) is { } section)
        {
            var disposition = section.GetContentDispositionHeader();
            var name = HeaderUtilities.RemoveQuotes(disposition?.Name ?? default).Value;
            if (disposition is null || name is null)
            {
                continue;
            }

            if (name == "conversationId" && !disposition.IsFileDisposition())
            {
                // Read a UUID's worth and no more: a field is not allowed to make the server buffer megabytes.
                var value = new byte[FieldLimit + 1];
                var length = await section.Body.ReadAtLeastAsync(value, value.Length, throwOnEndOfStream: false, http.RequestAborted);
                var text = length <= FieldLimit ? Encoding.UTF8.GetString(value, 0, length).Trim() : "";
                Validate.That(Guid.TryParse(text, out var parsed), "conversationId must be a UUID.");
                conversationId = parsed;
            }
            else if (name == "file")
            {
                Validate.That(conversationId is not null, "The conversationId field must come before the file part.");
                var caller = user.UserId();
                if (!await cluster.GetGrain<IConversationGrain>(conversationId!.Value).IsMemberAsync(caller))
                {
                    throw ChatException.NotFound("No such conversation.");
                }

                var fileName = FileNames.Sanitize(HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value);
                var info = await transfers.UploadAsync(caller, conversationId.Value, fileName, section.ContentType, section.Body, http.RequestAborted);
                return Results.Created($"/api/v1/attachments/{info.Id}", AttachmentDto.From(info));
            }
        }

        throw ChatException.Validation("A part named file is required.");
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, IClusterClient cluster, AttachmentBlobs blobs,
        AttachmentTransfers transfers, HttpResponse response)
    {
        var info = await cluster.GetGrain<IAttachmentGrain>(id).GetAsync(user.UserId());
        return await transfers.DownloadAsync(blobs.Original(info.ConversationId, info.Id), info.FileName, info.ContentType,
            info.Sha256, response, response.HttpContext.RequestAborted);
    }

    /// <summary><c>?size=thumbnail</c> (default) or <c>?size=medium</c>: WebP previews of an image.</summary>
    private static async Task<IResult> GetThumbnailAsync(Guid id, string? size, ClaimsPrincipal user, IClusterClient cluster,
        AttachmentBlobs blobs, AttachmentTransfers transfers, HttpResponse response)
    {
        size ??= AttachmentBlobs.Thumbnail;
        Validate.That(size is AttachmentBlobs.Thumbnail or AttachmentBlobs.Medium, "size must be thumbnail or medium.");
        var info = await cluster.GetGrain<IAttachmentGrain>(id).GetAsync(user.UserId());
        return await PreviewAsync(info, size, blobs, transfers, response);
    }

    public static Task<IResult> PreviewAsync(AttachmentInfo info, string size, AttachmentBlobs blobs, AttachmentTransfers transfers, HttpResponse response)
    {
        if (!info.HasPreviews)
        {
            throw ChatException.NotFound("This attachment has no preview (not an image, or not made yet).");
        }

        var name = $"{Path.GetFileNameWithoutExtension(info.FileName)}.{size}.webp";
        return transfers.DownloadAsync(blobs.Preview(info.ConversationId, info.Id, size), name, "image/webp",
            $"{info.Sha256}-{size}", response, response.HttpContext.RequestAborted);
    }

    private static async Task<IResult> BeginUploadAsync(BeginUploadRequest body, ClaimsPrincipal user, IClusterClient cluster,
        IOptions<AttachmentOptions> options)
    {
        var conversationId = body.ConversationId ?? throw ChatException.Validation("conversationId is required.");
        var size = body.Size ?? throw ChatException.Validation("size is required.");
        if (size > options.Value.MaxSize)
        {
            throw new ChatException(ErrorCodes.PayloadTooLarge, $"An attachment is at most {options.Value.MaxSize} bytes.");
        }

        if (!FileTypes.IsAllowedDeclaration(body.ContentType))
        {
            throw new ChatException(ErrorCodes.UnsupportedMediaType, $"contentType {body.ContentType} is not an allowed attachment type.");
        }

        var request = new NewUpload(conversationId, FileNames.Sanitize(body.FileName), FileTypes.Normalize(body.ContentType)!, size);
        var upload = await cluster.GetGrain<IAttachmentGrain>(Guid.CreateVersion7()).BeginUploadAsync(user.UserId(), request);
        return Results.Created($"/api/v1/uploads/{upload.UploadId}", ToDto(upload, new HashSet<int>()));
    }

    private static async Task<UploadDto> GetUploadAsync(Guid uploadId, ClaimsPrincipal user, IClusterClient cluster, AttachmentTransfers transfers, HttpContext http)
    {
        var upload = await cluster.GetGrain<IAttachmentGrain>(uploadId).GetUploadAsync(user.UserId());
        return ToDto(upload, await transfers.ReceivedChunksAsync(upload, http.RequestAborted));
    }

    private static async Task<IResult> PutChunkAsync(Guid uploadId, int index, HttpContext http, ClaimsPrincipal user, IClusterClient cluster,
        AttachmentTransfers transfers, IOptions<AttachmentOptions> options)
    {
        AllowBody(http, options.Value.ChunkSize + 1L);
        var upload = await cluster.GetGrain<IAttachmentGrain>(uploadId).GetUploadAsync(user.UserId());
        await transfers.StageChunkAsync(upload, index, http.Request.Body, http.Request.ContentLength, http.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> CompleteUploadAsync(Guid uploadId, CompleteUploadRequest? body, ClaimsPrincipal user, IClusterClient cluster,
        AttachmentTransfers transfers, HttpContext http)
    {
        var caller = user.UserId();
        var sha256 = body?.Sha256?.Trim();
        Validate.That(sha256 is null || (sha256.Length == 64 && sha256.All(char.IsAsciiHexDigit)), "sha256 must be 64 hex digits.");
        var grain = cluster.GetGrain<IAttachmentGrain>(uploadId);
        UploadSession upload;
        try
        {
            upload = await grain.GetUploadAsync(caller);
        }
        catch (ChatException e) when (e.Code == ErrorCodes.NotFound)
        {
            // Completed already (the first answer was lost): the same attachment again.
            var done = await grain.GetAsync(caller);
            return done.UploaderId == caller
                ? Results.Created($"/api/v1/attachments/{uploadId}", AttachmentDto.From(done))
                : throw ChatException.NotFound("No such upload.");
        }

        var info = await transfers.CompleteAsync(caller, upload, sha256, http.RequestAborted);
        return Results.Created($"/api/v1/attachments/{info.Id}", AttachmentDto.From(info));
    }

    private static UploadDto ToDto(UploadSession u, IReadOnlySet<int> received) =>
        new(u.UploadId, u.ConversationId, u.FileName, u.ContentType, u.Size, u.ChunkSize, u.ChunkCount, [.. received.Order()]);

    /// <summary>The next part of a multipart body; a body that is not multipart after all is the client's mistake (400).</summary>
    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException and not BadHttpRequestException)
        {
            throw ChatException.Validation($"The body is not valid multipart/form-data: {e.Message}");
        }
    }

    /// <summary>Raises Kestrel's request body limit (30 MB by default) for this request only.</summary>
    private static void AllowBody(HttpContext http, long bytes)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = bytes;
        }
    }
}
