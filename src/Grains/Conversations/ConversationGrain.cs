using System.Collections.Immutable;
using Chat.Grains.Attachments;
using Chat.Grains.Errors;
using Chat.Grains.Notifications;
using Chat.Grains.Storage;
using Chat.Grains.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Chat.Grains.Conversations;

/// <summary>
/// The single writer of a conversation. A message gets its seq here: the row is inserted first, the sender is
/// acknowledged after the insert commits, and only then is the event published. The next seq is always derived
/// from the log (max(seq)) on activation or after any write whose outcome is unknown, never from a cached counter.
/// </summary>
[GrainType("conversation")]
internal sealed partial class ConversationGrain(
    [PersistentState("conversation", "chat")] IPersistentState<ConversationState> state,
    MessageStore messages,
    MemberStore memberStore,
    AccountStore accounts,
    AttachmentStore attachmentStore,
    ContactStore contacts,
    ScheduleStore scheduled,
    IOptions<NotificationOptions> notifications,
    IOptions<ChatLimits> limits,
    IOptions<ReceiptOptions> receiptOptions,
    TimeProvider clock,
    Hosting.SiloMetrics metrics,
    ILogger<ConversationGrain> logger) : Grain, IConversationGrain
{
    private Dictionary<Guid, ConversationMember> _members = [];
    private static readonly TimeSpan BlockCheckLifetime = TimeSpan.FromSeconds(30);
    private long? _lastSeq;
    private bool? _blocked; // direct conversations: whether either member blocked the other (RequireNotBlockedAsync)
    private DateTimeOffset _blockedReadAt;
    private ChatMessage? _lastMessage;
    private IAsyncStream<ConversationEvent> _stream = null!;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stream = this.GetStreamProvider(ChatStreams.Provider).GetStream<ConversationEvent>(ChatStreams.Conversation(Id));
        if (state.State.Exists)
        {
            _members = await memberStore.LoadAsync(Id);
            await ReloadLastSeqAsync();
            await ReloadVersionAsync();
        }
    }

    public async Task<(ConversationView Conversation, bool Created)> CreateDirectAsync(Guid callerId, Guid otherUserId)
    {
        if (callerId == otherUserId || DirectConversationId.For(callerId, otherUserId) != Id)
        {
            throw ChatException.Validation("A direct conversation is between the caller and one other user.");
        }

        await RequireNotBlockedAsync(callerId, otherUserId);
        if (state.State.Exists)
        {
            return (View(callerId), false);
        }

        await CreateAsync(ConversationTypes.Direct, null, null, callerId, [(callerId, MemberRoles.Member), (otherUserId, MemberRoles.Member)]);
        return (View(callerId), true);
    }

    public async Task<ConversationView> CreateGroupAsync(Guid callerId, string name, string? description, IReadOnlyList<Guid> memberIds)
    {
        if (state.State.Exists)
        {
            throw ChatException.Conflict("A conversation with this id already exists.");
        }

        var others = memberIds.Where(id => id != callerId).Distinct().ToList();
        if (others.Count + 1 > limits.Value.MaxGroupSize)
        {
            throw ChatException.Validation($"A group has at most {limits.Value.MaxGroupSize} members.");
        }

        await RequireAcceptedAdditionsAsync(callerId, others);
        var roles = others.Select(id => (id, MemberRoles.Member)).Prepend((callerId, MemberRoles.Owner)).ToList();
        await CreateAsync(ConversationTypes.Group, name, description, callerId, roles);
        return View(callerId);
    }

    public async Task<ConversationView> GetAsync(Guid callerId)
    {
        var me = RequireMember(callerId);
        if (_lastSeq is null || _version is null)
        {
            // after a write whose outcome was unknown
            await ReloadLastSeqAsync();
            await ReloadVersionAsync();
        }

        var view = View(callerId);
        return view.UnreadCount == 0 ? view : view with { UnreadMentions = await messages.CountUnreadMentionsAsync(Id, callerId, me.ReadSeq) };
    }

    public Task<ImmutableArray<Receipts>> GetReceiptsAsync(Guid callerId)
    {
        RequireMember(callerId);
        return Task.FromResult(_members.Values.OrderBy(m => m.Version).Select(ToReceipts).ToImmutableArray());
    }

    public Task<bool> IsMemberAsync(Guid userId) => Task.FromResult(state.State.Exists && _members.ContainsKey(userId));

    public Task BlocksChangedAsync()
    {
        _blocked = null;
        return Task.CompletedTask;
    }

    private async Task<SendMessageResult> SendCoreAsync(Guid senderId, SendMessageRequest request)
    {
        RequireMember(senderId);
        request = MessageRules.Validate(request, limits.Value);
        if (state.State.Type == ConversationTypes.Direct)
        {
            await RequireNotBlockedAsync(senderId, _members.Keys.FirstOrDefault(id => id != senderId));
        }

        var (lastSeq, _) = await CountersAsync();
        if (request.ReplyToSeq is { } reply && (reply < 1 || reply > lastSeq))
        {
            throw ChatException.Validation("replyToSeq does not name a message of this conversation.");
        }

        // A retried send must not trip over its own attachments, already linked by the first attempt.
        if (!request.AttachmentIds.IsDefaultOrEmpty && await messages.FindByClientMessageIdAsync(Id, senderId, request.ClientMessageId) is { } retried)
        {
            return new SendMessageResult(retried, Created: false);
        }

        var attachments = await RequireSendableAttachmentsAsync(senderId, request.AttachmentIds);
        var mentions = await ResolveMentionsAsync(request.Content);
        return await CommitAsync(senderId, request.ClientMessageId, request.ContentType, request.Content, request.Format,
            request.ReplyToSeq, attachments, mentions, request.ForwardedFrom);
    }

    /// <summary>
    /// Gives the message the next seq and queues its insert, and only once that committed acknowledges and publishes
    /// it. The one path every message takes into the log, system messages included. Sends pipeline (see
    /// ConversationGrain.Pipeline.cs): from taking the seq to queueing the insert nothing awaits, so seqs are taken
    /// and queued in the same order, and commits land in that order.
    /// </summary>
    private async Task<SendMessageResult> CommitAsync(Guid senderId, string clientMessageId, string contentType, string content,
        string format, long? replyToSeq, ImmutableArray<AttachmentInfo> attachments, ImmutableArray<Guid> mentions, MessageRef? forwardedFrom)
    {
        ChatMessage message;
        bool inserted;
        while (true)
        {
            var (lastSeq, lastVersion) = await CountersAsync();
            var generation = _pipelineGeneration;
            var createdAt = clock.UtcNowForStorage();
            var expiresAt = state.State.DisappearAfterSeconds is { } seconds && contentType != "system" ? createdAt.AddSeconds(seconds) : (DateTimeOffset?)null;
            message = new ChatMessage(Guid.CreateVersion7(), Id, lastSeq + 1, senderId, clientMessageId, contentType, content, format,
                replyToSeq, createdAt, null, null, attachments, mentions, forwardedFrom, [], expiresAt, lastVersion + 1, lastVersion + 1);
            (_lastSeq, _version) = (message.Seq, message.Version);
            SendStarted();
            try
            {
                inserted = await messages.TryInsertAsync(message, NotificationRecipients.For(message, _members.Values, notifications.Value.Enabled));
                break;
            }
            catch (Exception exception) when (ConversationHeads.IsStale(exception) && generation != _pipelineGeneration)
            {
                // A send ahead of this one in the pipeline did not take its version, so this one's statement was refused
                // and nothing of it was stored: it takes a fresh seq once the log has been read again.
            }
            catch (Exception exception) when (ConversationHeads.IsStale(exception))
            {
                throw MovedOn(); // another activation of this conversation wrote
            }
            catch
            {
                // The insert may or may not have committed: the next send re-reads the log.
                ForgetCounters();
                throw;
            }
            finally
            {
                SendLanded();
            }
        }

        if (!inserted)
        {
            // The seq and version this send took went unused: the sends queued behind it are refused and take fresh
            // ones once the log has been read again.
            ForgetCounters();
            if (await messages.FindByClientMessageIdAsync(Id, senderId, clientMessageId) is { } existing)
            {
                return new SendMessageResult(existing, Created: false);
            }

            // The seq was taken by a write this activation did not make.
            LogSeqConflict(logger, Id, message.Seq);
            throw new ChatException(ErrorCodes.ServiceUnavailable, "The conversation moved on; retry the send.");
        }

        _lastMessage = message;
        metrics.Committed(message.ContentType);
        if (_members.TryGetValue(senderId, out var sender))
        {
            // The insert moved the sender's own receipts too, at the message's version (implied by the message).
            _members[senderId] = sender with { ReadSeq = message.Seq, DeliveredSeq = message.Seq, Version = message.Version };
        }

        await PublishAsync(new MessageEvent(Id, message) { Version = message.Version });
        if (notifications.Value.Enabled && message.ContentType != "system")
        {
            await GrainFactory.GetGrain<INotificationDispatcherGrain>(0).KickAsync();
        }

        if (message.ExpiresAt is { } expiry)
        {
            await ArmAsync(expiry);
        }

        return new SendMessageResult(message, Created: true);
    }

    /// <summary>
    /// A direct conversation is closed, both ways, while either user blocks the other. Whether either member of a direct conversation blocked the other, read once per activation and kept: every
    /// direct send asks. A block or unblock between the two tells this grain (<see cref="BlocksChangedAsync"/>); as a
    /// safety net for a notice that did not arrive, the answer is read again after <see cref="BlockCheckLifetime"/>.
    /// </summary>
    private async Task RequireNotBlockedAsync(Guid userId, Guid otherId)
    {
        if (_blocked is not { } known || clock.GetUtcNow() - _blockedReadAt > BlockCheckLifetime)
        {
            _blockedReadAt = clock.GetUtcNow();
            _blocked = known = await contacts.EitherBlockedAsync(userId, otherId);
        }

        if (known)
        {
            throw ChatException.Forbidden("You cannot message this user.");
        }
    }

    /// <summary>Nobody joins a group through someone they blocked (or who blocked them), or a stranger when they take contacts only.</summary>
    private async Task RequireAcceptedAdditionsAsync(Guid adderId, IReadOnlyCollection<Guid> added)
    {
        if ((await contacts.RefusingAdditionByAsync(adderId, added)).Length > 0)
        {
            throw ChatException.Forbidden("Some of these users do not accept being added to groups by you.");
        }
    }

    private async Task CreateAsync(string type, string? name, string? description, Guid createdBy, IReadOnlyList<(Guid UserId, string Role)> roles)
    {
        var existing = await accounts.ExistingUsersAsync(roles.Select(r => r.UserId).ToList());
        if (existing.Count != roles.Count)
        {
            throw ChatException.Validation("Every member must be an existing user.");
        }

        var now = clock.UtcNowForStorage();
        // A creation retried after a crash continues from whatever version its first attempt stored.
        var version = (await ReloadVersionAsync()) + 1;
        var members = roles.Select(r => new ConversationMember(r.UserId, r.Role, now, 0, 0, Version: version)).ToList();
        // Members first: a crash before the state write leaves rows that a retry re-inserts harmlessly.
        await AtNextVersionAsync(async v =>
        {
            await memberStore.CreateAsync(Id, members, v);
            return true;
        });
        state.State = new ConversationState { Exists = true, Type = type, Name = name, Description = description, CreatedBy = createdBy, CreatedAt = now };
        await state.WriteStateAsync();
        _members = members.ToDictionary(m => m.UserId);
        _infoVersion = version;
        _lastSeq = await messages.GetMaxSeqAsync(Id);
        // Creation publishes no conversation event: members' sessions start after it and read the conversation.
        await Task.WhenAll(members.Select(m => NotifyUserAsync(new JoinedConversationEvent(m.UserId, Id, SinceVersion: version))));
    }

    private ConversationView View(Guid callerId)
    {
        var me = RequireMember(callerId);
        if (_pendingReceipts.Of(callerId) is { } pending)
        {
            me = PendingReceipts.Apply(me, pending); // accepted, about to be stored
        }

        var lastSeq = _lastSeq ?? 0;
        return SharedView() with
        {
            ReadSeq = me.ReadSeq, DeliveredSeq = me.DeliveredSeq, UnreadCount = Math.Max(0, lastSeq - me.ReadSeq), Muted = me.Muted,
        };
    }

    /// <summary>The conversation without any member's own fields (watermarks, unread, muted): what events carry.</summary>
    private ConversationView SharedView()
    {
        var s = state.State;
        return new ConversationView(Id, s.Type, s.Name, s.Description, s.CreatedAt, s.CreatedBy,
            [.. _members.Values.Select(m => m with { ReadSeq = 0, DeliveredSeq = 0, Muted = false }).OrderBy(m => m.JoinedAt).ThenBy(m => m.UserId)],
            _lastSeq ?? 0, _lastMessage, 0, 0, 0, AvatarAttachmentId: s.AvatarAttachmentId, DisappearAfterSeconds: s.DisappearAfterSeconds,
            Version: _version ?? 0);
    }

    /// <summary>Non-members get NOT_FOUND, not FORBIDDEN, so conversation ids cannot be probed.</summary>
    private ConversationMember RequireMember(Guid userId) =>
        state.State.Exists && _members.TryGetValue(userId, out var member)
            ? member
            : throw ChatException.NotFound("No such conversation.");

    private async Task<long> ReloadLastSeqAsync()
    {
        var lastSeq = await messages.GetMaxSeqAsync(Id);
        _lastMessage = lastSeq > 0 ? await messages.FindAsync(Id, lastSeq) : null;
        _lastSeq = lastSeq;
        return lastSeq;
    }

    private Receipts ToReceipts(ConversationMember member) => new(Id, member.UserId, member.DeliveredSeq, member.ReadSeq, member.Version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId}: seq {Seq} already taken in the log; reloaded")]
    private static partial void LogSeqConflict(ILogger logger, Guid conversationId, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId}: deleting the attachments of a deleted message failed")]
    private static partial void LogAttachmentDeleteFailed(ILogger logger, Exception exception, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId}: publishing an event failed; frontends repair from the log")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid conversationId);
}
