import { HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from "@microsoft/signalr";
import { accessToken } from "./session";
import type { ChatStore } from "./store";
import type { Conversation, Message, Presence, Receipts, Watermarks } from "./types";

/** Waits before the n-th reconnect attempt: 0.5 s doubling to 10 s, with jitter, and never gives up. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(10_000, 500 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

/**
 * The hub connection of one signed-in tab. Events go to the store in arrival order; after every reconnect the
 * store asks `GetChanges` for everything its conversations missed, so nothing is lost or shown twice.
 */
export function connect(store: ChatStore): () => void {
  const connection: HubConnection = new HubConnectionBuilder()
    .withUrl("/hubs/chat", { accessTokenFactory: () => accessToken() })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => reconnectDelay(context.previousRetryCount) })
    .configureLogging(LogLevel.None)
    .build();
  let stopped = false;

  store.hub = {
    connected: () => connection.state === HubConnectionState.Connected,
    invoke: (method, ...args) => connection.invoke(method, ...args),
  };
  connection.on("messageReceived", (m: Message) => store.onMessage(m));
  connection.on("messageEdited", (m: Message) => store.onMessage(m));
  connection.on("messageDeleted", (e) => store.onDeleted(e));
  connection.on("reactionsChanged", (e) => store.onReactions(e));
  connection.on("receiptsChanged", (e: Receipts & { conversationId: string; version: number }) => store.onReceipts(e));
  connection.on("receiptsSummaryChanged", (e: Watermarks & { conversationId: string; version: number }) => store.onReceiptsSummary(e));
  connection.on("conversationUpdated", (c: Conversation) => store.onConversationUpdated(c));
  connection.on("memberAdded", (e) => store.onMembership("added", e));
  connection.on("memberRemoved", (e) => store.onMembership("removed", e));
  connection.on("typingChanged", (e: { conversationId: string; userId: string; isTyping: boolean }) => store.setTyping(e.conversationId, e.userId, e.isTyping));
  connection.on("presenceChanged", (p: Presence) => store.setPresence(p));
  connection.on("contactRequest", () => {});

  const state = (s: typeof store.connection) => {
    store.connection = s;
    store.changed();
  };
  // A catch-up cut short by another drop is simply done again after the next reconnect.
  const resync = () => store.resync().catch(() => {});
  connection.onreconnecting(() => state("reconnecting"));
  connection.onreconnected(() => {
    state("connected");
    void resync();
  });
  connection.onclose(() => {
    if (!stopped) void start(0);
  });

  // The first start retries like a reconnect: the tab may open while Chat restarts.
  async function start(attempt: number) {
    if (stopped || connection.state !== HubConnectionState.Disconnected) return;
    try {
      await connection.start();
    } catch {
      if (stopped) return;
      state("reconnecting");
      setTimeout(() => void start(attempt + 1), reconnectDelay(attempt));
      return;
    }

    state("connected");
    // Events from before this connection existed: the list (if loaded) may have missed some.
    if (attempt > 0 || store.loaded) void resync();
  }

  void start(0);
  return () => {
    stopped = true;
    store.hub = null;
    void connection.stop();
  };
}
