using System.Collections.Immutable;
using Chat.Grains.Attachments;
using Chat.Grains.Errors;
using Chat.Grains.History;
using Chat.Grains.Storage;
using Chat.Grains.Streams;

namespace Chat.Grains.Conversations;

/// <summary>What happens to messages after they are sent: edits, deletes, reactions, forwarding; and what a send links.</summary>
internal sealed partial class ConversationGrain
{
    public async Task<ChatMessage> EditAsync(Guid callerId, long seq, string content)
    {
        RequireMember(callerId);
        var message = await messages.FindAsync(Id, seq) ?? throw ChatException.NotFound("No message with that seq.");
        if (message.IsDeleted)
        {
            throw ChatException.Conflict("The message was deleted.");
        }

        if (message.SenderId != callerId || message.ContentType == "system")
        {
            throw ChatException.Forbidden("Only the sender can edit a message.");
        }

        if (clock.GetUtcNow() - message.CreatedAt > limits.Value.EditWindow)
        {
            throw ChatException.Forbidden($"A message can be edited for {limits.Value.EditWindow.TotalMinutes:0.#} minutes after it was sent.");
        }

        content = MessageRules.ValidateEdit(message.ContentType, content, limits.Value);
        if (content == message.Content)
        {
            return message;
        }

        if (await messages.CountEditsAsync(Id, seq) >= limits.Value.MaxEditsPerMessage)
        {
            throw ChatException.Conflict($"A message can be edited at most {limits.Value.MaxEditsPerMessage} times.");
        }

        var mentions = await ResolveMentionsAsync(content);
        ChatMessage? edited = null;
        if (await AtNextVersionAsync(async v => (edited = await messages.EditAsync(Id, seq, content, [.. mentions], clock.UtcNowForStorage(), v)) is not null) is not { } version)
        {
            throw ChatException.Conflict("The message was deleted.");
        }

        if (_lastMessage?.Seq == seq)
        {
            _lastMessage = edited;
        }

        await PublishAsync(new MessageEditedEvent(Id, edited!) { Version = version });
        return edited!;
    }

    public async Task DeleteAsync(Guid callerId, long seq, string scope)
    {
        var member = RequireMember(callerId);
        if (scope is not (DeleteScopes.Me or DeleteScopes.Everyone))
        {
            throw ChatException.Validation("scope must be \"me\" or \"everyone\".");
        }

        var message = await messages.FindAsync(Id, seq, scope == DeleteScopes.Me ? callerId : null)
            ?? throw ChatException.NotFound("No message with that seq.");
        if (scope == DeleteScopes.Me)
        {
            await messages.HideAsync(callerId, Id, seq);
            await this.GetStreamProvider(ChatStreams.Provider).GetStream<UserEvent>(ChatStreams.User(callerId))
                .OnNextAsync(new MessageHiddenEvent(callerId, Id, seq));
            return;
        }

        if (message.SenderId != callerId && member.Role is not (MemberRoles.Owner or MemberRoles.Admin))
        {
            throw ChatException.Forbidden("Only the sender or an admin can delete a message for everyone.");
        }

        await TombstoneAsync(seq);
    }

    /// <summary>Turns a message into a tombstone at the next version (nothing when it already is one), and says so.</summary>
    private async Task TombstoneAsync(long seq)
    {
        Guid[]? attachmentIds = null;
        if (await AtNextVersionAsync(async v => (attachmentIds = await messages.TombstoneAsync(Id, seq, clock.UtcNowForStorage(), v)) is not null) is not { } version)
        {
            return; // already a tombstone
        }

        if (_lastMessage?.Seq == seq)
        {
            _lastMessage = await messages.FindAsync(Id, seq);
        }

        await PublishAsync(new MessageDeletedEvent(Id, seq) { Version = version });
        await DeleteAttachmentsAsync(attachmentIds!);
    }

    public async Task<ImmutableArray<Reaction>> ReactAsync(Guid callerId, long seq, string emoji, bool add)
    {
        RequireMember(callerId);
        MessageRules.ValidateEmoji(emoji);
        var message = await messages.FindAsync(Id, seq) ?? throw ChatException.NotFound("No message with that seq.");
        if (message.IsDeleted)
        {
            throw ChatException.Conflict("The message was deleted.");
        }

        if (add)
        {
            MessageRules.RequireRoomForReaction(message.Reactions, emoji, limits.Value);
        }

        if (await AtNextVersionAsync(v => messages.SetReactionAsync(Id, seq, callerId, emoji, add, clock.UtcNowForStorage(), v)) is not { } version)
        {
            return message.Reactions; // already so: idempotent
        }

        var reactions = (await messages.FindAsync(Id, seq))?.Reactions ?? [];
        await PublishAsync(new ReactionsChangedEvent(Id, seq, reactions) { Version = version });
        return reactions;
    }

    public async Task<SendMessageResult> ForwardAsync(Guid callerId, MessageRef source)
    {
        RequireMember(callerId);
        // Reading the original through the history checks that the caller may see it (NOT_FOUND otherwise).
        var original = await GrainFactory.GetGrain<IHistoryGrain>(0).GetMessageAsync(callerId, source.ConversationId, source.Seq);
        if (original.IsDeleted || original.ContentType != "text")
        {
            throw ChatException.Validation("Only a text message that was not deleted can be forwarded.");
        }

        // The same message forwarded again to the same conversation is the same message (a retry, not a copy).
        var request = new SendMessageRequest($"fwd:{source.ConversationId:N}:{source.Seq}", original.Content!, "text", original.Format,
            null, [], source);
        return await SendCoreAsync(callerId, request);
    }

    /// <summary>Members named by <c>@username</c> in the text.</summary>
    private async Task<ImmutableArray<Guid>> ResolveMentionsAsync(string? content)
    {
        var usernames = MessageRules.MentionedUsernames(content);
        if (usernames.Count == 0)
        {
            return [];
        }

        var ids = await accounts.FindIdsByUsernameAsync(usernames);
        return [.. ids.Where(_members.ContainsKey)];
    }

    private async Task DeleteAttachmentsAsync(Guid[] attachmentIds)
    {
        try
        {
            await Task.WhenAll(attachmentIds.Select(id => GrainFactory.GetGrain<IAttachmentGrain>(id).DeleteAsync()));
        }
        catch (Exception exception)
        {
            LogAttachmentDeleteFailed(logger, exception, Id);
        }
    }

    /// <summary>Attachments of this conversation, stored by the sender, and not yet part of another message.</summary>
    private async Task<ImmutableArray<AttachmentInfo>> RequireSendableAttachmentsAsync(Guid senderId, ImmutableArray<Guid> ids)
    {
        if (ids.IsDefaultOrEmpty)
        {
            return [];
        }

        var rows = await attachmentStore.FindManyAsync(ids);
        foreach (var id in ids)
        {
            if (!rows.TryGetValue(id, out var row) || row.IsUploading || row.Info.ConversationId != Id || row.Info.UploaderId != senderId)
            {
                throw ChatException.Validation($"Attachment {id} is not a finished upload of yours in this conversation.");
            }

            if (row.MessageSeq is not null)
            {
                throw ChatException.Conflict($"Attachment {id} already belongs to a message.");
            }
        }

        return [.. ids.Select(id => rows[id].Info)];
    }
}
