import { beforeEach, describe, expect, it, vi } from "vitest";
import { messageAt as message } from "./test-messages";
import type { Changes, Conversation, User } from "./types";

// The network edge only: the store's ordering rules are what is under test.
const api = vi.fn();
vi.mock("./api", () => ({
  api: (...args: unknown[]) => api(...args),
  ApiError: class ApiError extends Error {
    constructor(
      readonly status: number,
      readonly code: string,
      message: string,
    ) {
      super(message);
    }
  },
}));
const { ChatStore } = await import("./store");
const { ApiError } = await import("./api");

const me: User = { id: "me", username: "me", displayName: "Me", statusMessage: "", avatarUrl: null, createdAt: "2026-11-28T10:00:00Z" };
const conversation = (version: number, lastSeq = 0): Conversation => ({
  id: "c",
  type: "group",
  name: "G",
  description: null,
  avatarUrl: null,
  createdAt: "2026-11-28T10:00:00Z",
  createdBy: "me",
  members: [{ userId: "me", role: "owner", joinedAt: "2026-11-28T10:00:00Z" }],
  lastSeq,
  lastMessage: null,
  readSeq: 0,
  deliveredSeq: 0,
  unreadCount: 0,
  unreadMentions: 0,
  muted: false,
  disappearAfterSeconds: null,
  version,
});
function storeWith(c: Conversation, changes: (since: number) => Changes) {
  api.mockImplementation((_method: string, path: string) => {
    if (path.startsWith("/conversations?")) return Promise.resolve({ conversations: [c], nextCursor: null });
    if (path.startsWith("/conversations/c/messages")) return Promise.resolve({ messages: [], hasMore: false });
    return Promise.resolve(undefined);
  });
  const store = new ChatStore(me);
  const invoke = vi.fn((method: string, since: Record<string, number>) => Promise.resolve(method === "GetChanges" ? { c: changes(since.c) } : undefined));
  store.hub = { connected: () => true, invoke: invoke as never };
  return { store, invoke };
}

const seqs = (store: InstanceType<typeof ChatStore>) => store.timelines.get("c")!.messages.map((m) => m.seq);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the store applies conversation events in version order", () => {
  beforeEach(() => {
    api.mockReset();
  });

  it("ignores an event it already applied", async () => {
    const { store } = storeWith(conversation(1), () => { throw new Error("no gap expected"); });
    await store.loadConversations();
    await store.loadLatest("c");
    store.onMessage(message(1, 2));
    store.onMessage(message(1, 2));
    expect(seqs(store)).toEqual([1]);
    expect(store.conversations.get("c")!.version).toBe(2);
  });

  it("fills a gap with GetChanges, then replays what it held, each once and in order", async () => {
    const { store, invoke } = storeWith(conversation(1), (since) => ({
      conversationId: "c", version: 3, messages: [message(1, 2), message(2, 3)].filter((m) => m.version > since),
      receipts: [], members: null, conversation: null, isMember: true, hasMore: false, receiptsSummary: null,
    }));
    await store.loadConversations();
    await store.loadLatest("c");
    store.onMessage(message(3, 4)); // versions 2 and 3 never arrived
    store.onMessage(message(3, 4));
    await settle();
    expect(invoke).toHaveBeenCalledWith("GetChanges", { c: 1 });
    expect(seqs(store)).toEqual([1, 2, 3]);
    expect(store.conversations.get("c")!.version).toBe(4);
  });

  it("shows a big group's ticks from its receipts summary, live and after a catch-up", async () => {
    const big = { ...conversation(1, 3), members: ["me", "a", "b"].map((userId) => ({ userId, role: "member" as const, joinedAt: "2026-11-28T10:00:00Z" })) };
    const { store } = storeWith(big, () => ({
      conversationId: "c", version: 6, messages: [], receipts: [], members: null, conversation: null, isMember: true, hasMore: false,
      receiptsSummary: { deliveredSeq: 3, readSeq: 3 },
    }));
    await store.loadConversations();
    const mine = (seq: number) => ({ ...message(seq, 1), senderId: "me" });
    expect(store.receiptState(mine(2))).toBe("sent");
    store.onReceiptsSummary({ conversationId: "c", deliveredSeq: 2, readSeq: 1, version: 2 });
    expect([store.receiptState(mine(1)), store.receiptState(mine(2)), store.receiptState(mine(3))]).toEqual(["read", "delivered", "sent"]);
    store.onReceiptsSummary({ conversationId: "c", deliveredSeq: 3, readSeq: 2, version: 4 }); // version 3 never arrived
    await settle();
    expect(store.receiptState(mine(3))).toBe("read");
    expect(store.conversations.get("c")!.version).toBe(6);
  });

  it("drops events of a conversation it turns out not to belong to, asking only once", async () => {
    const store = new ChatStore(me);
    api.mockImplementation(() => Promise.reject(new ApiError(404, "NOT_FOUND", "No such conversation.")));
    store.onMembership("removed", { conversationId: "gone", userId: "me", version: 7 });
    await settle();
    await settle();
    expect(api).toHaveBeenCalledTimes(1);
    expect(store.conversations.has("gone")).toBe(false);
  });
});
