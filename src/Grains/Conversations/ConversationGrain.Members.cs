using System.Collections.Immutable;
using System.Text.Json;
using Chat.Grains.Attachments;
using Chat.Grains.Errors;
using Chat.Grains.Storage;
using Chat.Grains.Streams;

namespace Chat.Grains.Conversations;

/// <summary>Group membership, roles and settings: who may change what, and the system messages and events it leaves.</summary>
internal sealed partial class ConversationGrain
{
    private static readonly JsonSerializerOptions SystemJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public async Task<ConversationView> AddMembersAsync(Guid callerId, IReadOnlyList<Guid> userIds)
    {
        RequireRole(callerId, MemberRoles.Admin);
        var added = userIds.Distinct().Where(id => !_members.ContainsKey(id)).ToList();
        if (_members.Count + added.Count > limits.Value.MaxGroupSize)
        {
            throw ChatException.Validation($"A group has at most {limits.Value.MaxGroupSize} members.");
        }

        if ((await accounts.ExistingUsersAsync(added)).Count != added.Count)
        {
            throw ChatException.Validation("Every member must be an existing user.");
        }

        await RequireAcceptedAdditionsAsync(callerId, added);

        var lastSeq = _lastSeq ?? await ReloadLastSeqAsync();
        var now = clock.UtcNowForStorage();
        foreach (var userId in added)
        {
            // New members start with the history read: what is unread for them begins with their arrival.
            var member = new ConversationMember(userId, MemberRoles.Member, now, lastSeq, lastSeq);
            if (await AtNextVersionAsync(v => memberStore.AddAsync(Id, member with { Version = v }, callerId)) is not { } version)
            {
                continue;
            }

            _members[userId] = member with { Version = version };
            await PublishAsync(new MembershipEvent(Id, userId, callerId, Added: true) { Version = version });
            await NotifyUserAsync(new JoinedConversationEvent(userId, Id, SinceVersion: version - 1));
            await AppendSystemAsync(new SystemEvent(SystemEvents.MemberAdded, callerId, userId));
        }

        return View(callerId);
    }

    public async Task RemoveMemberAsync(Guid callerId, Guid userId)
    {
        var caller = RequireGroupMember(callerId);
        var target = _members.TryGetValue(userId, out var found) ? found : throw ChatException.NotFound("That user is not a member.");
        var leaving = callerId == userId;
        if (!MembershipRules.MayRemove(caller, target))
        {
            throw ChatException.Forbidden("Admins remove members; only the owner removes admins.");
        }

        // The system message first, so the member who goes still sees why in their history.
        await AppendSystemAsync(new SystemEvent(leaving ? SystemEvents.MemberLeft : SystemEvents.MemberRemoved, callerId, userId));
        var version = await AtNextVersionAsync(async v =>
        {
            await memberStore.RemoveAsync(Id, userId, callerId, v);
            return true;
        });
        _members.Remove(userId);
        await PublishAsync(new MembershipEvent(Id, userId, callerId, Added: false) { Version = version!.Value });
        await NotifyUserAsync(new LeftConversationEvent(userId, Id, callerId));
        if (target.Role == MemberRoles.Owner && MembershipRules.Heir(_members.Values) is { } heir)
        {
            await ChangeRolesAsync(callerId, [(heir, MemberRoles.Owner)]);
        }
    }

    public async Task<ConversationView> SetRoleAsync(Guid callerId, Guid userId, string role)
    {
        RequireRole(callerId, MemberRoles.Owner);
        if (role is not (MemberRoles.Owner or MemberRoles.Admin or MemberRoles.Member))
        {
            throw ChatException.Validation("role must be owner, admin or member.");
        }

        var target = _members.TryGetValue(userId, out var found) ? found : throw ChatException.NotFound("That user is not a member.");
        if (userId == callerId)
        {
            throw ChatException.Validation("The owner hands over ownership by making another member owner.");
        }

        if (target.Role != role)
        {
            await ChangeRolesAsync(callerId, MembershipRules.RoleChanges(callerId, userId, role));
        }

        return View(callerId);
    }

    public async Task<ConversationView> UpdateAsync(Guid callerId, ConversationChanges changes)
    {
        var caller = RequireMember(callerId);
        if (changes.DisappearAfterSeconds is { } seconds)
        {
            await SetDisappearingAsync(callerId, seconds);
        }

        var shared = changes with { Muted = null, DisappearAfterSeconds = null };
        if (shared != new ConversationChanges())
        {
            if (state.State.Type != ConversationTypes.Group)
            {
                throw ChatException.Validation("A direct conversation has no name, description or avatar to change.");
            }

            RequireRole(callerId, MemberRoles.Admin);
            await UpdateSharedAsync(callerId, shared);
        }

        if (changes.Muted is { } muted && muted != caller.Muted)
        {
            await memberStore.SetMutedAsync(Id, callerId, muted);
            _members[callerId] = caller with { Muted = muted };
        }

        return View(callerId);
    }

    /// <summary>
    /// Turns disappearing messages on (seconds) or off (0) for messages sent from now on: admins in a group, either
    /// user in a direct conversation.
    /// </summary>
    private async Task SetDisappearingAsync(Guid callerId, int seconds)
    {
        if (seconds != 0 && seconds is < TimingLimits.MinDisappearAfterSeconds or > TimingLimits.MaxDisappearAfterSeconds)
        {
            throw ChatException.Validation($"disappearAfterSeconds must be 0 (off) or {TimingLimits.MinDisappearAfterSeconds}-{TimingLimits.MaxDisappearAfterSeconds}.");
        }

        if (state.State.Type == ConversationTypes.Group)
        {
            RequireRole(callerId, MemberRoles.Admin);
        }

        int? setting = seconds == 0 ? null : seconds;
        if (setting == state.State.DisappearAfterSeconds)
        {
            return;
        }

        await ChangeInfoAsync(() => state.State.DisappearAfterSeconds = setting);
        await AppendSystemAsync(new SystemEvent(SystemEvents.DisappearingChanged, callerId, Seconds: seconds));
    }

    private async Task UpdateSharedAsync(Guid callerId, ConversationChanges changes)
    {
        if (changes.AvatarAttachmentId is { } avatar)
        {
            var attachment = await GrainFactory.GetGrain<IAttachmentGrain>(avatar).GetAsync(callerId);
            if (!attachment.IsImage || attachment.ConversationId != Id)
            {
                throw ChatException.Validation("A group avatar must be an image uploaded to this conversation.");
            }
        }

        var s = state.State;
        var renamed = changes.Name is { } name && name != s.Name;
        await ChangeInfoAsync(() =>
        {
            s.Name = changes.Name ?? s.Name;
            s.Description = changes.Description ?? s.Description;
            s.AvatarAttachmentId = changes.AvatarAttachmentId ?? s.AvatarAttachmentId;
        });
        if (renamed)
        {
            await AppendSystemAsync(new SystemEvent(SystemEvents.Renamed, callerId, Name: s.Name));
        }
    }

    /// <summary>
    /// Changes the conversation's own fields (grain state) at the next version: the version is written first, so a
    /// crash in between leaves a version whose change is a no-op, never a change clients are not told about.
    /// </summary>
    private async Task ChangeInfoAsync(Action change)
    {
        var version = await AtNextVersionAsync(async v =>
        {
            await memberStore.BumpInfoAsync(Id, v);
            return true;
        });
        _infoVersion = version!.Value;
        change();
        await state.WriteStateAsync();
        await PublishAsync(new ConversationUpdatedEvent(Id, SharedView()) { Version = _infoVersion });
    }

    private async Task ChangeRolesAsync(Guid callerId, IReadOnlyCollection<(Guid UserId, string Role)> roles)
    {
        var version = await AtNextVersionAsync(async v =>
        {
            await memberStore.SetRolesAsync(Id, roles, v);
            return true;
        });
        _infoVersion = version!.Value;
        foreach (var (userId, role) in roles)
        {
            _members[userId] = _members[userId] with { Role = role };
        }

        await PublishAsync(new ConversationUpdatedEvent(Id, SharedView()) { Version = _infoVersion });
        foreach (var (userId, role) in roles)
        {
            await AppendSystemAsync(new SystemEvent(SystemEvents.RoleChanged, callerId, userId, role));
        }
    }

    /// <summary>A <c>system</c> message in the log: its content is the <see cref="SystemEvent"/> as JSON.</summary>
    private Task<SendMessageResult> AppendSystemAsync(SystemEvent systemEvent) =>
        CommitAsync(systemEvent.By, $"system:{Guid.NewGuid():N}", "system", JsonSerializer.Serialize(systemEvent, SystemJson), "plain",
            null, [], systemEvent.UserId is { } userId ? [userId] : ImmutableArray<Guid>.Empty, null);

    /// <summary>A member of a group (membership of a direct conversation never changes).</summary>
    private ConversationMember RequireGroupMember(Guid userId)
    {
        var member = RequireMember(userId);
        return state.State.Type == ConversationTypes.Group
            ? member
            : throw ChatException.Validation("The members of a direct conversation cannot change.");
    }

    /// <summary>A group member with at least <paramref name="role"/> (owner > admin > member).</summary>
    private ConversationMember RequireRole(Guid userId, string role)
    {
        var member = RequireGroupMember(userId);
        return MembershipRules.HasAtLeast(member.Role, role)
            ? member
            : throw ChatException.Forbidden(role == MemberRoles.Owner ? "Only the owner can do this." : "Only admins and the owner can do this.");
    }
}
