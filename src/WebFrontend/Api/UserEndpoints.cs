using System.Security.Claims;
using Chat.BlobStorage;
using Chat.Grains.Accounts;
using Chat.Grains.Attachments;
using Chat.Grains.Errors;
using Chat.Grains.Presence;
using Chat.Grains.Users;
using Chat.WebFrontend.Hubs;
using Chat.WebFrontend.Attachments;
using Chat.WebFrontend.Auth;
using Chat.WebFrontend.Errors;

namespace Chat.WebFrontend.Api;

public static class UserEndpoints
{
    public const int MaxStatusMessageLength = 140;

    public sealed record UpdateProfileRequest(string? DisplayName, string? StatusMessage, Guid? AvatarAttachmentId);

    /// <summary>The caller's privacy settings: <c>allowGroupAddsFrom</c> is "anyone" or "contacts".</summary>
    public sealed record PrivacyDto(string? AllowGroupAddsFrom);

    public static RouteGroupBuilder MapUsers(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization();
        users.MapGet("/me", async (ClaimsPrincipal user, IClusterClient cluster) =>
            UserDto.From(await Accounts(cluster).GetProfileAsync(user.UserId())));
        users.MapPatch("/me", UpdateMeAsync);
        users.MapDelete("/me/avatar", async (ClaimsPrincipal user, IClusterClient cluster) =>
        {
            await Accounts(cluster).SetAvatarAsync(user.UserId(), null);
            return Results.NoContent();
        });
        users.MapGet("/me/privacy", async (ClaimsPrincipal user, IClusterClient cluster) =>
            ToDto(await cluster.GetGrain<IUserGrain>(user.UserId()).GetGroupAddPolicyAsync()));
        users.MapPut("/me/privacy", async (PrivacyDto body, ClaimsPrincipal user, IClusterClient cluster) =>
        {
            var policy = body.AllowGroupAddsFrom switch
            {
                "anyone" => GroupAddPolicy.Anyone,
                "contacts" => GroupAddPolicy.Contacts,
                _ => throw ChatException.Validation("allowGroupAddsFrom must be \"anyone\" or \"contacts\"."),
            };
            await cluster.GetGrain<IUserGrain>(user.UserId()).SetGroupAddPolicyAsync(policy);
            return ToDto(policy);
        });
        users.MapGet("/{id:guid}", async (Guid id, IClusterClient cluster) =>
            UserDto.From(await Accounts(cluster).GetProfileAsync(id)));
        users.MapGet("/{id:guid}/avatar", GetAvatarAsync);
        users.MapGet("/{id:guid}/presence", async (Guid id, ClaimsPrincipal user, IClusterClient cluster) =>
        {
            var p = await cluster.GetGrain<IPresenceGrain>(id).GetAsync(user.UserId());
            return new PresenceDto(p.UserId, p.Status, p.CustomStatus, p.LastSeenAt);
        });
        return api;
    }

    /// <summary>Fields left out (or null) stay as they are; <c>DELETE /users/me/avatar</c> removes the avatar.</summary>
    private static async Task<UserDto> UpdateMeAsync(UpdateProfileRequest body, ClaimsPrincipal user, IClusterClient cluster)
    {
        var displayName = Validate.Name(body.DisplayName, "displayName", CredentialRules.MaxDisplayNameLength);
        var statusMessage = Validate.Name(body.StatusMessage, "statusMessage", MaxStatusMessageLength, minLength: 0);
        var accounts = Accounts(cluster);
        var profile = await accounts.UpdateProfileAsync(user.UserId(), displayName, statusMessage);
        if (body.AvatarAttachmentId is { } avatar)
        {
            profile = await accounts.SetAvatarAsync(user.UserId(), avatar);
        }

        return UserDto.From(profile);
    }

    /// <summary>The medium preview of a user's avatar image, for any signed-in user.</summary>
    private static async Task<IResult> GetAvatarAsync(Guid id, IClusterClient cluster, AttachmentBlobs blobs,
        AttachmentTransfers transfers, HttpResponse response)
    {
        var profile = await Accounts(cluster).GetProfileAsync(id);
        var avatar = profile.AvatarAttachmentId ?? throw ChatException.NotFound("This user has no avatar.");
        var info = await cluster.GetGrain<IAttachmentGrain>(avatar).GetAvatarOfAsync(id);
        return await AttachmentEndpoints.PreviewAsync(info, AttachmentBlobs.Medium, blobs, transfers, response);
    }

    private static PrivacyDto ToDto(GroupAddPolicy policy) => new(policy == GroupAddPolicy.Contacts ? "contacts" : "anyone");

    private static IAccountsGrain Accounts(IClusterClient cluster) => cluster.GetGrain<IAccountsGrain>(0);
}
