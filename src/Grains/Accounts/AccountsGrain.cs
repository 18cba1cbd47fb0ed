using Chat.Grains.Attachments;
using Chat.Grains.Errors;
using Chat.Grains.Storage;
using Chat.Grains.Streams;
using Orleans.Concurrency;

namespace Chat.Grains.Accounts;

[StatelessWorker]
[GrainType("accounts")]
internal sealed class AccountsGrain(AccountStore accounts) : Grain, IAccountsGrain
{
    public Task<UserProfile> RegisterAsync(string username, string displayName, string passwordHash) =>
        accounts.InsertUserAsync(username, displayName, passwordHash);

    public Task<UserCredentials?> FindCredentialsAsync(string username) => accounts.FindCredentialsAsync(username);

    public Task UpdatePasswordHashAsync(Guid userId, string passwordHash) => accounts.UpdatePasswordHashAsync(userId, passwordHash);

    public async Task<UserProfile> GetProfileAsync(Guid userId) =>
        await accounts.FindProfileAsync(userId) ?? throw ChatException.NotFound("No such user.");

    public Task<System.Collections.Immutable.ImmutableArray<UserProfile>> GetProfilesAsync(System.Collections.Immutable.ImmutableArray<Guid> userIds) =>
        accounts.FindProfilesAsync("id = ANY($1)", userIds.ToArray());

    public async Task<UserProfile> UpdateProfileAsync(Guid userId, string? displayName, string? statusMessage)
    {
        await accounts.UpdateProfileAsync(userId, displayName, statusMessage);
        return await GetProfileAsync(userId);
    }

    public async Task<UserProfile> SetAvatarAsync(Guid userId, Guid? attachmentId)
    {
        if (attachmentId is { } id)
        {
            var attachment = await GrainFactory.GetGrain<IAttachmentGrain>(id).GetAsync(userId);
            if (!attachment.IsImage || attachment.UploaderId != userId)
            {
                throw ChatException.Validation("An avatar must be an image you uploaded.");
            }
        }

        await accounts.SetAvatarAsync(userId, attachmentId);
        return await GetProfileAsync(userId);
    }

    public Task<Guid> StartSessionAsync(Guid userId, string refreshToken, DateTimeOffset expiresAt) =>
        accounts.InsertSessionAsync(userId, refreshToken, expiresAt);

    public async Task<(Guid UserId, Guid SessionId)> RotateRefreshTokenAsync(string refreshToken, string nextRefreshToken, DateTimeOffset nextExpiresAt, TimeSpan maxSessionAge)
    {
        switch (await accounts.RotateRefreshTokenAsync(refreshToken, nextRefreshToken, nextExpiresAt, maxSessionAge))
        {
            case { Live: true } rotated:
                return (rotated.UserId, rotated.FamilyId);
            case { Live: false } reused:
                // A spent token presented again means two parties hold it: end that session everywhere.
                await RevokeSessionAsync(reused.UserId, reused.FamilyId);
                throw ChatException.Unauthorized("The refresh token is no longer valid; sign in again.");
            default:
                throw ChatException.Unauthorized("Unknown refresh token.");
        }
    }

    public async Task RevokeRefreshTokenAsync(string refreshToken)
    {
        if (await accounts.FindSessionAsync(refreshToken) is { } session)
        {
            await RevokeSessionAsync(session.UserId, session.FamilyId);
        }
    }

    public Task<bool> IsSessionLiveAsync(Guid sessionId) => accounts.IsSessionLiveAsync(sessionId);

    /// <summary>Revokes every token of the session, then tells the frontends to close the session's hub connections.</summary>
    private async Task RevokeSessionAsync(Guid userId, Guid familyId)
    {
        await accounts.RevokeFamilyAsync(familyId);
        await this.GetStreamProvider(ChatStreams.Provider).GetStream<UserEvent>(ChatStreams.User(userId))
            .OnNextAsync(new SessionRevokedEvent(userId, familyId));
    }
}
