using System.Security.Claims;
using Chat.BlobStorage;
using Chat.Grains.Attachments;
using Chat.Grains.Conversations;
using Chat.Grains.Errors;
using Chat.WebFrontend.Attachments;
using Chat.Grains.Users;
using Chat.WebFrontend.Auth;
using Chat.WebFrontend.Errors;
using Microsoft.Extensions.Options;

namespace Chat.WebFrontend.Api;

public static class ConversationEndpoints
{
    public sealed record DirectRequest(Guid? UserId);
    public sealed record GroupRequest(string? Name, List<Guid>? MemberIds, string? Description);
    public sealed record WatermarkRequest(long? Seq);
    public sealed record UpdateRequest(string? Name, string? Description, Guid? AvatarAttachmentId, int? DisappearAfterSeconds, bool? Muted);
    public sealed record MembersRequest(List<Guid>? UserIds);
    public sealed record RoleRequest(string? Role);
    public sealed record ConversationListDto(IReadOnlyList<ConversationDto> Conversations, string? NextCursor);

    public static RouteGroupBuilder MapConversations(this RouteGroupBuilder api)
    {
        var conversations = api.MapGroup("/conversations").WithTags("Conversations").RequireAuthorization();
        conversations.MapPost("/direct", CreateDirectAsync);
        conversations.MapPost("/group", CreateGroupAsync);
        conversations.MapGet("/", ListAsync);
        conversations.MapGet("/{id:guid}", GetAsync);
        conversations.MapPatch("/{id:guid}", UpdateAsync);
        conversations.MapGet("/{id:guid}/avatar", GetAvatarAsync);
        conversations.MapPost("/{id:guid}/members", AddMembersAsync);
        conversations.MapDelete("/{id:guid}/members/{userId:guid}", RemoveMemberAsync);
        conversations.MapPatch("/{id:guid}/members/{userId:guid}", SetRoleAsync);
        conversations.MapPost("/{id:guid}/read", MarkReadAsync);
        conversations.MapPost("/{id:guid}/delivered", MarkDeliveredAsync);
        conversations.MapGet("/{id:guid}/receipts", GetReceiptsAsync);
        return api;
    }

    private static async Task<IResult> CreateDirectAsync(DirectRequest body, ClaimsPrincipal user, IClusterClient cluster)
    {
        var me = user.UserId();
        Validate.That(body.UserId is { } other && other != Guid.Empty && other != me, "userId must name another user.");
        var id = DirectConversationId.For(me, body.UserId!.Value);
        var (conversation, created) = await cluster.GetGrain<IConversationGrain>(id).CreateDirectAsync(me, body.UserId.Value);
        var dto = ConversationDto.From(conversation);
        return created ? Results.Created($"/api/v1/conversations/{id}", dto) : Results.Ok(dto);
    }

    private static async Task<IResult> CreateGroupAsync(GroupRequest body, ClaimsPrincipal user, IClusterClient cluster, IOptions<ChatLimits> limits)
    {
        var name = Validate.Required(Validate.Name(body.Name, "name", limits.Value.MaxGroupNameLength), "name");
        var description = Validate.Text(body.Description, "description", limits.Value.MaxDescriptionLength);
        var memberIds = body.MemberIds ?? [];
        Validate.That(memberIds.Count < limits.Value.MaxGroupSize, $"A group has at most {limits.Value.MaxGroupSize} members.");
        var id = Guid.CreateVersion7();
        var conversation = await cluster.GetGrain<IConversationGrain>(id).CreateGroupAsync(user.UserId(), name, description, memberIds);
        return Results.Created($"/api/v1/conversations/{id}", ConversationDto.From(conversation));
    }

    private static async Task<ConversationListDto> ListAsync(ClaimsPrincipal user, IClusterClient cluster, int? limit, string? cursor)
    {
        var page = await cluster.GetGrain<IUserGrain>(user.UserId()).ListConversationsAsync(Validate.Limit(limit, 50, 200), cursor);
        return new ConversationListDto([.. page.Conversations.Select(ConversationDto.From)], page.NextCursor);
    }

    private static async Task<ConversationDto> GetAsync(Guid id, ClaimsPrincipal user, IClusterClient cluster) =>
        ConversationDto.From(await cluster.GetGrain<IConversationGrain>(id).GetAsync(user.UserId()));

    private static async Task<ConversationDto> UpdateAsync(Guid id, UpdateRequest body, ClaimsPrincipal user, IClusterClient cluster, IOptions<ChatLimits> limits)
    {
        var name = Validate.Name(body.Name, "name", limits.Value.MaxGroupNameLength);
        var description = Validate.Text(body.Description, "description", limits.Value.MaxDescriptionLength);
        var changes = new ConversationChanges(name, description, body.AvatarAttachmentId, body.DisappearAfterSeconds, body.Muted);
        return ConversationDto.From(await cluster.GetGrain<IConversationGrain>(id).UpdateAsync(user.UserId(), changes));
    }

    private static async Task<ConversationDto> AddMembersAsync(Guid id, MembersRequest body, ClaimsPrincipal user, IClusterClient cluster, IOptions<ChatLimits> limits)
    {
        var userIds = body.UserIds ?? [];
        Validate.That(userIds.Count is >= 1 && userIds.Count <= limits.Value.MaxGroupSize, $"userIds lists 1-{limits.Value.MaxGroupSize} users.");
        return ConversationDto.From(await cluster.GetGrain<IConversationGrain>(id).AddMembersAsync(user.UserId(), userIds));
    }

    private static async Task<IResult> RemoveMemberAsync(Guid id, Guid userId, ClaimsPrincipal user, IClusterClient cluster)
    {
        await cluster.GetGrain<IConversationGrain>(id).RemoveMemberAsync(user.UserId(), userId);
        return Results.NoContent();
    }

    private static async Task<ConversationDto> SetRoleAsync(Guid id, Guid userId, RoleRequest body, ClaimsPrincipal user, IClusterClient cluster) =>
        ConversationDto.From(await cluster.GetGrain<IConversationGrain>(id).SetRoleAsync(user.UserId(), userId, Validate.Required(body.Role, "role")));

    /// <summary>The group avatar's medium preview, for members.</summary>
    private static async Task<IResult> GetAvatarAsync(Guid id, ClaimsPrincipal user, IClusterClient cluster, AttachmentBlobs blobs,
        AttachmentTransfers transfers, HttpResponse response)
    {
        var conversation = await cluster.GetGrain<IConversationGrain>(id).GetAsync(user.UserId());
        var avatar = conversation.AvatarAttachmentId ?? throw ChatException.NotFound("This conversation has no avatar.");
        var info = await cluster.GetGrain<IAttachmentGrain>(avatar).GetAsync(user.UserId());
        return await AttachmentEndpoints.PreviewAsync(info, AttachmentBlobs.Medium, blobs, transfers, response);
    }

    private static async Task<IResult> MarkReadAsync(Guid id, WatermarkRequest body, ClaimsPrincipal user, IClusterClient cluster)
    {
        await cluster.GetGrain<IConversationGrain>(id).MarkReadAsync(user.UserId(), RequiredSeq(body));
        return Results.NoContent();
    }

    private static async Task<IResult> MarkDeliveredAsync(Guid id, WatermarkRequest body, ClaimsPrincipal user, IClusterClient cluster)
    {
        await cluster.GetGrain<IConversationGrain>(id).MarkDeliveredAsync(user.UserId(), RequiredSeq(body));
        return Results.NoContent();
    }

    private static async Task<ReceiptsListDto> GetReceiptsAsync(Guid id, ClaimsPrincipal user, IClusterClient cluster) =>
        new([.. (await cluster.GetGrain<IConversationGrain>(id).GetReceiptsAsync(user.UserId())).Select(ReceiptsDto.From)]);

    private static long RequiredSeq(WatermarkRequest body) =>
        body.Seq is { } seq and >= 0 ? seq : throw ChatException.Validation("seq is required and must be >= 0.");
}
