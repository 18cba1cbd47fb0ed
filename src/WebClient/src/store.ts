import { useSyncExternalStore } from "react";
import { api, ApiError } from "./api";
import { find, newTimeline, withMessage, withNewer, withOlder, withoutMessage, type Timeline } from "./timeline";
import type { Attachment, Changes, Conversation, Member, Message, Presence, Receipts, User, Watermarks } from "./types";

/** A message being sent: shown at once, replaced by the stored message when the server acknowledges it. */
export interface Pending {
  clientMessageId: string;
  conversationId: string;
  content: string;
  contentType: "text" | "image" | "file";
  replyToSeq: number | null;
  attachments: Attachment[];
  createdAt: string;
  failed: string | null;
}

export type ConnectionState = "connecting" | "connected" | "reconnecting";

/** What the hub offers the store; the realtime module plugs it in. */
export interface Hub {
  connected(): boolean;
  invoke<T = void>(method: string, ...args: unknown[]): Promise<T>;
}

type Held = { version: number; apply: () => void };

const pageSize = 50;
const ownFields = ["readSeq", "deliveredSeq", "unreadCount", "unreadMentions", "muted"] as const;

/**
 * The client's copy of everything it shows. Conversation events apply in `version` order: an event at or below
 * the held version is a duplicate and ignored; one beyond the next version means something was missed, so the
 * conversation's events are held while `GetChanges` fills the gap, then replayed. Objects are replaced, never
 * mutated, so rendering can compare them by identity.
 */
export class ChatStore {
  conversations = new Map<string, Conversation>();
  timelines = new Map<string, Timeline>();
  pending = new Map<string, Pending[]>();
  users = new Map<string, User>();
  presence = new Map<string, Presence>();
  typing = new Map<string, Map<string, number>>();
  receipts = new Map<string, Map<string, Receipts>>();
  /** Big groups: where every member stands (receiptsSummaryChanged), kept instead of each member's receipts. */
  receiptSummaries = new Map<string, Watermarks>();
  connection: ConnectionState = "connecting";
  loaded = false;
  openId: string | null = null;
  hub: Hub | null = null;
  onIncoming: (message: Message) => void = () => {};
  onRemoved: (conversationId: string) => void = () => {};

  private held = new Map<string, Held[]>();
  private catchingUp = new Set<string>();
  private fetchingUsers = new Set<string>();
  private listeners = new Set<() => void>();
  private tick = 0;
  private scheduled = false;
  private jumps = 0;

  constructor(readonly me: User) {}

  // ---- rendering
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = () => this.tick;

  changed() {
    this.tick++;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.listeners.forEach((l) => l());
    });
  }

  // ---- reading
  conversationList(): Conversation[] {
    const activity = (c: Conversation) => c.lastMessage?.createdAt ?? c.createdAt;
    return [...this.conversations.values()].sort((a, b) => activity(b).localeCompare(activity(a)));
  }

  otherMember(c: Conversation): string | undefined {
    return c.members.find((m) => m.userId !== this.me.id)?.userId;
  }

  title(c: Conversation): string {
    if (c.type === "group") return c.name ?? "Group";
    const other = this.otherMember(c);
    return other ? this.userName(other) : this.me.displayName;
  }

  userName(id: string): string {
    if (id === this.me.id) return this.me.displayName;
    const user = this.users.get(id);
    if (!user) this.fetchUser(id);
    return user?.displayName ?? "…";
  }

  unread(c: Conversation): number {
    return Math.max(0, c.lastSeq - c.readSeq);
  }

  typists(conversationId: string): string[] {
    const now = Date.now();
    return [...(this.typing.get(conversationId) ?? new Map<string, number>())]
      .filter(([userId, until]) => until > now && userId !== this.me.id)
      .map(([userId]) => userId);
  }

  /** "read" when every other member read it, "delivered" when it reached every other member, else "sent". */
  receiptState(message: Message): "sent" | "delivered" | "read" {
    const c = this.conversations.get(message.conversationId);
    const receipts = this.receipts.get(message.conversationId);
    const summary = this.receiptSummaries.get(message.conversationId);
    const others = c?.members.filter((m) => m.userId !== this.me.id) ?? [];
    if (others.length === 0) return "sent";
    // Each is a lower bound of where the others stand: the summary of a big group (of everyone, the sender included,
    // who has read their own message) and each member's receipts as last heard.
    const all = (pick: (w: Watermarks) => number) =>
      (summary !== undefined && pick(summary) >= message.seq) ||
      (receipts !== undefined && others.every((m) => (receipts.get(m.userId) ? pick(receipts.get(m.userId)!) : 0) >= message.seq));
    return all((r) => r.readSeq) ? "read" : all((r) => Math.max(r.deliveredSeq, r.readSeq)) ? "delivered" : "sent";
  }

  // ---- loading
  async loadConversations() {
    const all: Conversation[] = [];
    let cursor: string | null = null;
    do {
      const page: { conversations: Conversation[]; nextCursor: string | null } = await api("GET", `/conversations?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      all.push(...page.conversations);
      cursor = page.nextCursor;
    } while (cursor);
    for (const c of all) this.adopt(c);
    this.loaded = true;
    this.changed();
  }

  /** A conversation seen for the first time (listed, joined, or found by an event). */
  private adopt(c: Conversation) {
    const known = this.conversations.get(c.id);
    if (known && known.version >= c.version) return;
    this.conversations.set(c.id, c);
    for (const m of c.members) this.userName(m.userId);
    const other = c.type === "direct" ? this.otherMember(c) : undefined;
    if (other && !this.presence.has(other)) {
      api<Presence>("GET", `/users/${other}/presence`).then((p) => this.setPresence(p), () => {});
    }

    if (c.lastSeq > c.deliveredSeq) this.markDelivered(c.id, c.lastSeq);
    this.changed();
  }

  private async fetchConversation(id: string) {
    try {
      this.adopt(await api<Conversation>("GET", `/conversations/${id}`));
    } catch {
      // 404: not (or no longer) a member, so its events are dropped; anything else: the next resync finds it.
    } finally {
      this.replayHeld(id);
    }
  }

  private fetchUser(id: string) {
    if (this.fetchingUsers.has(id)) return;
    this.fetchingUsers.add(id);
    api<User>("GET", `/users/${id}`).then(
      (user) => {
        this.users.set(id, user);
        this.changed();
      },
      () => this.fetchingUsers.delete(id),
    );
  }

  rememberUsers(users: User[]) {
    users.forEach((u) => this.users.set(u.id, u));
  }

  /** Opens a conversation at its newest messages, or at `seq` (a deep link or a search hit) highlighted. */
  async open(id: string, seq: number | null) {
    this.openId = id;
    this.changed();
    if (!this.conversations.has(id)) await this.fetchConversation(id);
    if (!this.conversations.has(id)) return;
    const timeline = this.timelines.get(id);
    if (seq !== null) await this.jumpTo(id, seq);
    else if (!timeline) await this.loadLatest(id);
    else if (timeline.highlight !== null) this.timelines.set(id, { ...timeline, highlight: null });
    api<{ receipts: Receipts[] }>("GET", `/conversations/${id}/receipts`).then((r) => {
      r.receipts.forEach((receipt) => this.putReceipts(id, receipt));
      this.changed();
    }, () => {});
  }

  async loadLatest(id: string) {
    const page = await api<{ messages: Message[]; hasMore: boolean }>("GET", `/conversations/${id}/messages?limit=${pageSize}`);
    this.timelines.set(id, newTimeline(page.messages, page.hasMore, true, null, ++this.jumps));
    this.changed();
  }

  private async jumpTo(id: string, seq: number) {
    const page = await api<{ messages: Message[]; hasMore: boolean }>("GET", `/conversations/${id}/messages?around=${seq}&limit=${pageSize}`);
    const last = page.messages.at(-1)?.seq ?? 0;
    const lastSeq = this.conversations.get(id)?.lastSeq ?? 0;
    this.timelines.set(id, newTimeline(page.messages, (page.messages[0]?.seq ?? 1) > 1, last >= lastSeq, seq, ++this.jumps));
    this.changed();
  }

  async loadOlder(id: string) {
    const timeline = this.timelines.get(id);
    if (!timeline?.hasOlder || timeline.messages.length === 0) return;
    const page = await api<{ messages: Message[]; hasMore: boolean }>("GET", `/conversations/${id}/messages?before=${timeline.messages[0].seq}&limit=${pageSize}`);
    this.timelines.set(id, withOlder(this.timelines.get(id)!, page.messages, page.hasMore));
    this.changed();
  }

  async loadNewer(id: string) {
    const timeline = this.timelines.get(id);
    if (!timeline || timeline.atEnd) return;
    const after = timeline.messages.at(-1)?.seq ?? 0;
    const page = await api<{ messages: Message[]; hasMore: boolean }>("GET", `/conversations/${id}/messages?after=${after}&limit=${pageSize}`);
    this.timelines.set(id, withNewer(this.timelines.get(id)!, page.messages, page.hasMore));
    this.changed();
  }

  /** A message that is not in the window (a reply's quote), fetched once. */
  async fetchMessage(conversationId: string, seq: number): Promise<Message | undefined> {
    return find(this.timelines.get(conversationId), seq) ?? api<Message>("GET", `/conversations/${conversationId}/messages/${seq}`).catch(() => undefined);
  }

  // ---- applying what happened
  /** The newest state of a message, from an event, a REST answer or a catch-up. */
  putMessage(message: Message) {
    const id = message.conversationId;
    const c = this.conversations.get(id);
    if (c && message.seq >= c.lastSeq) {
      const own = message.senderId === this.me.id;
      this.conversations.set(id, {
        ...c,
        lastSeq: message.seq,
        lastMessage: message,
        readSeq: own ? message.seq : c.readSeq,
        unreadMentions: !own && message.seq > c.lastSeq && message.mentions.includes(this.me.id) ? c.unreadMentions + 1 : own ? 0 : c.unreadMentions,
      });
    } else if (c?.lastMessage?.seq === message.seq) {
      this.conversations.set(id, { ...c, lastMessage: message });
    }

    const timeline = this.timelines.get(id);
    if (timeline) this.timelines.set(id, withMessage(timeline, message));
    if (message.senderId === this.me.id) this.dropPending(id, message.clientMessageId);
    this.changed();
  }

  private putReceiptsSummary(conversationId: string, w: Watermarks) {
    this.receiptSummaries.set(conversationId, { deliveredSeq: w.deliveredSeq, readSeq: w.readSeq });
  }

  private putReceipts(conversationId: string, r: Receipts) {
    const map = new Map(this.receipts.get(conversationId) ?? []);
    const known = map.get(r.userId);
    map.set(r.userId, {
      userId: r.userId,
      deliveredSeq: Math.max(known?.deliveredSeq ?? 0, r.deliveredSeq),
      readSeq: Math.max(known?.readSeq ?? 0, r.readSeq),
    });
    this.receipts.set(conversationId, map);
    if (r.userId === this.me.id) {
      const c = this.conversations.get(conversationId);
      if (c) this.conversations.set(conversationId, { ...c, readSeq: Math.max(c.readSeq, r.readSeq), deliveredSeq: Math.max(c.deliveredSeq, r.deliveredSeq) });
    }
  }

  /** The shared fields of a conversation; the caller's own ones stay (events carry them zeroed). */
  private putShared(c: Conversation) {
    const known = this.conversations.get(c.id);
    if (!known) return;
    const next: Conversation = { ...c, version: known.version };
    for (const field of ownFields) (next as unknown as Record<string, unknown>)[field] = known[field];
    if (known.lastSeq > c.lastSeq) Object.assign(next, { lastSeq: known.lastSeq, lastMessage: known.lastMessage });
    this.conversations.set(c.id, next);
    c.members.forEach((m) => this.userName(m.userId));
  }

  private putMembers(id: string, members: Member[]) {
    const c = this.conversations.get(id);
    if (c) this.conversations.set(id, { ...c, members });
  }

  private forget(id: string) {
    this.conversations.delete(id);
    this.timelines.delete(id);
    this.held.delete(id);
    this.onRemoved(id);
    this.changed();
  }

  setPresence(p: Presence) {
    this.presence.set(p.userId, p);
    this.changed();
  }

  setTyping(conversationId: string, userId: string, isTyping: boolean) {
    const map = new Map(this.typing.get(conversationId) ?? []);
    if (isTyping) map.set(userId, Date.now() + 6000);
    else map.delete(userId);
    this.typing.set(conversationId, map);
    this.changed();
  }

  // ---- events, in version order
  /** Applies a conversation event at `version`, or holds it while a gap before it is filled. */
  versioned(conversationId: string, version: number, apply: () => void) {
    const c = this.conversations.get(conversationId);
    if (!c || this.catchingUp.has(conversationId)) {
      this.hold(conversationId, { version, apply });
      if (!c && !this.catchingUp.has(conversationId)) {
        this.catchingUp.add(conversationId);
        void this.fetchConversation(conversationId);
      }
      return;
    }

    if (version <= c.version) return;
    if (version > c.version + 1) {
      this.hold(conversationId, { version, apply });
      void this.catchUp([conversationId]);
      return;
    }

    apply();
    const now = this.conversations.get(conversationId);
    if (now) this.conversations.set(conversationId, { ...now, version });
    this.changed();
  }

  private hold(conversationId: string, event: Held) {
    const list = this.held.get(conversationId) ?? [];
    list.push(event);
    this.held.set(conversationId, list);
  }

  private replayHeld(conversationId: string) {
    this.catchingUp.delete(conversationId);
    const held = (this.held.get(conversationId) ?? []).sort((a, b) => a.version - b.version);
    this.held.delete(conversationId);
    if (!this.conversations.has(conversationId)) return; // not (or no longer) a member: its events are moot
    for (const event of held) this.versioned(conversationId, event.version, event.apply);
    this.changed();
  }

  onMessage(message: Message) {
    this.versioned(message.conversationId, message.version, () => this.receive(message));
  }

  /** A message from an event or a catch-up: a new one from someone else is delivered here, and may notify. */
  private receive(message: Message) {
    const c = this.conversations.get(message.conversationId);
    const isNew = !!c && message.seq > c.lastSeq;
    this.putMessage(message);
    if (isNew && message.senderId !== this.me.id) {
      this.markDelivered(message.conversationId, message.seq);
      this.onIncoming(message);
    }
  }

  onDeleted(e: { conversationId: string; seq: number; scope: "me" | "everyone"; version: number | null }) {
    const tombstone = () => {
      const known = find(this.timelines.get(e.conversationId), e.seq);
      if (known) this.putMessage({ ...known, content: null, attachments: [], reactions: [], mentions: [], deletedAt: new Date().toISOString(), version: e.version ?? known.version });
    };
    if (e.scope === "me" || e.version === null) {
      const timeline = this.timelines.get(e.conversationId);
      if (timeline) this.timelines.set(e.conversationId, withoutMessage(timeline, e.seq));
      this.changed();
    } else {
      this.versioned(e.conversationId, e.version, tombstone);
    }
  }

  onReactions(e: { conversationId: string; seq: number; reactions: Message["reactions"]; version: number }) {
    this.versioned(e.conversationId, e.version, () => {
      const known = find(this.timelines.get(e.conversationId), e.seq);
      if (known) this.putMessage({ ...known, reactions: e.reactions, version: e.version });
    });
  }

  onReceipts(e: Receipts & { conversationId: string; version: number }) {
    this.versioned(e.conversationId, e.version, () => this.putReceipts(e.conversationId, e));
  }

  onReceiptsSummary(e: Watermarks & { conversationId: string; version: number }) {
    this.versioned(e.conversationId, e.version, () => this.putReceiptsSummary(e.conversationId, e));
  }

  onConversationUpdated(c: Conversation) {
    this.versioned(c.id, c.version, () => this.putShared(c));
  }

  onMembership(kind: "added" | "removed", e: { conversationId: string; userId: string; version: number }) {
    if (kind === "removed" && e.userId === this.me.id) {
      this.versioned(e.conversationId, e.version, () => this.forget(e.conversationId));
      return;
    }

    this.versioned(e.conversationId, e.version, () => {
      const c = this.conversations.get(e.conversationId);
      if (!c) return;
      const others = c.members.filter((m) => m.userId !== e.userId);
      this.putMembers(e.conversationId, kind === "added" ? [...others, { userId: e.userId, role: "member", joinedAt: new Date().toISOString() }] : others);
      this.userName(e.userId);
    });
  }

  // ---- catching up
  /** Fills every gap after the held versions with `GetChanges`, holding live events meanwhile. */
  async catchUp(ids: string[]) {
    const todo = ids.filter((id) => this.conversations.has(id) && !this.catchingUp.has(id));
    todo.forEach((id) => this.catchingUp.add(id));
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await this.fetchChanges(todo);
          return;
        } catch {
          // Chat is unreachable for now: keep holding this conversation's events and ask again a little later.
          await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 1000 * 2 ** attempt)));
        }
      }
    } finally {
      todo.forEach((id) => this.replayHeld(id));
    }
  }

  private async fetchChanges(ids: string[]) {
    let since = Object.fromEntries(ids.filter((id) => this.conversations.has(id)).map((id) => [id, this.conversations.get(id)!.version]));
    while (Object.keys(since).length > 0) {
      const answers = await this.changesSince(since);
      const more: Record<string, number> = {};
      for (const changes of Object.values(answers)) {
        if (this.applyChanges(changes)) more[changes.conversationId] = changes.version;
      }
      since = more;
    }
  }

  private async changesSince(since: Record<string, number>): Promise<Record<string, Changes>> {
    if (this.hub?.connected()) return this.hub.invoke<Record<string, Changes>>("GetChanges", since);
    const entries = await Promise.all(
      Object.entries(since).map(async ([id, v]) => {
        try {
          return [id, await api<Changes>("GET", `/conversations/${id}/changes?since=${v}`)] as const;
        } catch (error) {
          // REST answers a non-member with 404 where the hub answers isMember: false.
          if (error instanceof ApiError && error.status === 404) return [id, { conversationId: id, isMember: false } as Changes] as const;
          throw error;
        }
      }),
    );
    return Object.fromEntries(entries);
  }

  /** Applies one `changes`; true when there is more to fetch. */
  private applyChanges(changes: Changes): boolean {
    const id = changes.conversationId;
    if (!changes.isMember) {
      this.forget(id);
      return false;
    }

    for (const message of changes.messages) this.receive(message);
    for (const receipts of changes.receipts) this.putReceipts(id, receipts);
    if (changes.receiptsSummary) this.putReceiptsSummary(id, changes.receiptsSummary);
    if (changes.conversation) this.putShared(changes.conversation);
    if (changes.members) this.putMembers(id, changes.members);
    const c = this.conversations.get(id);
    if (c && changes.version > c.version) this.conversations.set(id, { ...c, version: changes.version });
    this.changed();
    return changes.hasMore;
  }

  /** After a reconnect: everything missed in known conversations, then any conversation joined meanwhile. */
  async resync() {
    await this.catchUp([...this.conversations.keys()]);
    const page = await api<{ conversations: Conversation[] }>("GET", "/conversations?limit=100");
    for (const c of page.conversations) {
      const known = this.conversations.get(c.id);
      if (!known) this.adopt(c);
      else {
        const own = Object.fromEntries(ownFields.map((f) => [f, c[f]]));
        this.conversations.set(c.id, { ...known, ...own });
      }
    }
    this.changed();
  }

  // ---- doing
  markRead(id: string) {
    const c = this.conversations.get(id);
    if (!c || c.lastSeq <= c.readSeq) return;
    this.conversations.set(id, { ...c, readSeq: c.lastSeq, unreadCount: 0, unreadMentions: 0 });
    this.changed();
    api("POST", `/conversations/${id}/read`, { seq: c.lastSeq }).catch(() => {});
  }

  markDelivered(id: string, seq: number) {
    if (this.hub?.connected()) this.hub.invoke("MarkDelivered", id, seq).catch(() => {});
    else api("POST", `/conversations/${id}/delivered`, { seq }).catch(() => {});
  }

  async send(conversationId: string, content: string, replyToSeq: number | null, attachments: Attachment[] = []) {
    const pending: Pending = {
      clientMessageId: crypto.randomUUID(),
      conversationId,
      content,
      contentType: attachments.length === 0 ? "text" : attachments.every((a) => a.contentType.startsWith("image/")) ? "image" : "file",
      replyToSeq,
      attachments,
      createdAt: new Date().toISOString(),
      failed: null,
    };
    this.pending.set(conversationId, [...(this.pending.get(conversationId) ?? []), pending]);
    if (!this.timelines.get(conversationId)?.atEnd) await this.loadLatest(conversationId);
    this.changed();
    await this.deliver(pending);
  }

  /** Sends (or sends again, with the same clientMessageId, so a retry never duplicates) a pending message. */
  async deliver(pending: Pending) {
    this.replacePending(pending, { ...pending, failed: null });
    try {
      const message = await api<Message>("POST", `/conversations/${pending.conversationId}/messages`, {
        clientMessageId: pending.clientMessageId,
        content: pending.content,
        contentType: pending.contentType,
        format: "markdown",
        replyToSeq: pending.replyToSeq,
        attachmentIds: pending.attachments.map((a) => a.id),
      });
      this.putMessage(message);
    } catch (error) {
      this.replacePending(pending, { ...pending, failed: error instanceof Error ? error.message : "Not sent." });
    }
  }

  private replacePending(old: Pending, next: Pending) {
    const list = this.pending.get(old.conversationId) ?? [];
    if (!list.some((p) => p.clientMessageId === old.clientMessageId)) return;
    this.pending.set(old.conversationId, list.map((p) => (p.clientMessageId === old.clientMessageId ? next : p)));
    this.changed();
  }

  private dropPending(conversationId: string, clientMessageId: string) {
    const list = this.pending.get(conversationId);
    if (list?.some((p) => p.clientMessageId === clientMessageId)) {
      this.pending.set(conversationId, list.filter((p) => p.clientMessageId !== clientMessageId));
    }
  }

  async edit(message: Message, content: string) {
    this.putMessage(await api<Message>("PATCH", `/conversations/${message.conversationId}/messages/${message.seq}`, { content }));
  }

  async remove(message: Message) {
    const scope = message.senderId === this.me.id ? "everyone" : "me";
    await api("DELETE", `/conversations/${message.conversationId}/messages/${message.seq}?scope=${scope}`);
    if (scope === "me") this.onDeleted({ conversationId: message.conversationId, seq: message.seq, scope, version: null });
  }

  async react(message: Message, emoji: string) {
    const mine = message.reactions.some((r) => r.emoji === emoji && r.userIds.includes(this.me.id));
    await api(mine ? "DELETE" : "PUT", `/conversations/${message.conversationId}/messages/${message.seq}/reactions/${encodeURIComponent(emoji)}`);
  }

  async forward(message: Message, to: string[]) {
    const result = await api<{ messages: Message[] }>("POST", `/conversations/${message.conversationId}/messages/${message.seq}/forward`, { toConversationIds: to });
    result.messages.forEach((m) => this.putMessage(m));
  }

  async update(id: string, changes: Partial<Pick<Conversation, "name" | "muted">>) {
    const c = await api<Conversation>("PATCH", `/conversations/${id}`, changes);
    const known = this.conversations.get(id);
    if (known) this.conversations.set(id, { ...known, name: c.name, muted: c.muted, members: c.members });
    this.changed();
  }

  async createGroup(name: string, memberIds: string[]): Promise<Conversation> {
    const c = await api<Conversation>("POST", "/conversations/group", { name, memberIds });
    this.adopt(c);
    return c;
  }

  async openDirect(userId: string): Promise<Conversation> {
    const c = await api<Conversation>("POST", "/conversations/direct", { userId });
    this.adopt(c);
    return c;
  }

  async addMembers(id: string, userIds: string[]) {
    const c = await api<Conversation>("POST", `/conversations/${id}/members`, { userIds });
    this.putMembers(id, c.members);
    this.changed();
  }

  async removeMember(id: string, userId: string) {
    await api("DELETE", `/conversations/${id}/members/${userId}`);
    if (userId === this.me.id) this.forget(id);
    else this.putMembers(id, this.conversations.get(id)?.members.filter((m) => m.userId !== userId) ?? []);
    this.changed();
  }

  typingSent = new Map<string, number>();

  /** Tells the others the user types, at most every 3 s; `false` when the draft is sent or cleared. */
  typingNow(id: string, typing: boolean) {
    if (!this.hub?.connected()) return;
    const last = this.typingSent.get(id) ?? 0;
    if (typing && Date.now() - last < 3000) return;
    if (!typing && last === 0) return;
    this.typingSent.set(id, typing ? Date.now() : 0);
    this.hub.invoke(typing ? "StartTyping" : "StopTyping", id).catch(() => {});
  }
}

export function useStore(store: ChatStore): ChatStore {
  useSyncExternalStore(store.subscribe, store.snapshot);
  return store;
}
