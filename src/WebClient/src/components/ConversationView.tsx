import { useCallback, useEffect, useRef, useState } from "react";
import { Virtuoso, type VirtuosoHandle } from "react-virtuoso";
import { upload } from "../api";
import { formatLastSeen } from "../format";
import { navigate } from "../route";
import { useStore, type ChatStore, type Pending } from "../store";
import type { Attachment, Conversation, Message } from "../types";
import { Avatar } from "./common";
import { Composer, type Upload } from "./Composer";
import { Details } from "./Details";
import { MessageItem, PendingItem } from "./MessageItem";

type Item = { message: Message } | { pending: Pending };

export function ConversationView({ store, conversation: c }: { store: ChatStore; conversation: Conversation }) {
  useStore(store);
  const timeline = store.timelines.get(c.id);
  const pending = store.pending.get(c.id) ?? [];
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [details, setDetails] = useState(false);
  const [dragging, setDragging] = useState(false);
  const list = useRef<VirtuosoHandle>(null);
  const title = store.title(c);
  const other = c.type === "direct" ? store.otherMember(c) : undefined;
  const presence = other ? store.presence.get(other) : undefined;

  // Read while the newest messages are on screen in a visible tab.
  useEffect(() => {
    const read = () => {
      if (document.visibilityState === "visible" && store.timelines.get(c.id)?.atEnd) store.markRead(c.id);
    };
    read();
    document.addEventListener("visibilitychange", read);
    return () => document.removeEventListener("visibilitychange", read);
  }, [store, c.id, c.lastSeq, timeline?.atEnd]);

  // Typing notices expire 6 s after the last refresh: look again every second while someone types.
  const typists = store.typists(c.id);
  const [, setNow] = useState(0);
  useEffect(() => {
    if (typists.length === 0) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [typists.length]);

  const attach = useCallback(
    async (files: File[]) => {
      if (files.length === 0) return;
      const batch: Upload[] = files.map((f) => ({ id: crypto.randomUUID(), name: f.name, sent: 0, total: f.size, error: null }));
      setUploads((u) => [...u, ...batch]);
      const update = (id: string, change: Partial<Upload>) => setUploads((u) => u.map((x) => (x.id === id ? { ...x, ...change } : x)));
      const done: Attachment[] = [];
      await Promise.all(
        files.map(async (file, i) => {
          try {
            done.push(await upload(c.id, file, (sent, total) => update(batch[i].id, { sent, total })));
            setUploads((u) => u.filter((x) => x.id !== batch[i].id));
          } catch (error) {
            update(batch[i].id, { error: error instanceof Error ? error.message : "Upload failed." });
          }
        }),
      );
      if (done.length > 0) await store.send(c.id, "", null, done);
    },
    [store, c.id],
  );

  const items: Item[] = [...(timeline?.messages ?? []).map((message) => ({ message })), ...pending.map((p) => ({ pending: p }))];
  const target = timeline?.highlight != null ? timeline.messages.findIndex((m) => m.seq === timeline.highlight) : -1;
  const subtitle =
    c.type === "group"
      ? `${c.members.length} ${c.members.length === 1 ? "member" : "members"}`
      : presence && presence.status !== "offline"
        ? presence.status
        : presence?.lastSeenAt
          ? formatLastSeen(presence.lastSeenAt)
          : "";
  const typing = typists.map((id) => store.userName(id));

  return (
    <section
      className={`conversation-view${dragging ? " dragging" : ""}`}
      aria-label={title}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes("Files")) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void attach([...e.dataTransfer.files]);
      }}
    >
      <header className="conversation-header">
        <button type="button" className="icon back" aria-label="Back to conversations" onClick={() => navigate("/")}>
          ←
        </button>
        <Avatar name={title} url={other ? store.users.get(other)?.avatarUrl : c.avatarUrl} presence={presence} />
        <div className="conversation-heading">
          <h1>{title}</h1>
          <p className="subtitle">{subtitle}</p>
        </div>
        <button type="button" aria-pressed={c.muted} onClick={() => store.update(c.id, { muted: !c.muted })}>
          {c.muted ? "Unmute" : "Mute"}
        </button>
        <button type="button" onClick={() => setDetails(true)}>
          Details
        </button>
      </header>
      {timeline ? (
        <Virtuoso
          key={timeline.jump}
          ref={list}
          role="log"
          aria-label="Messages"
          aria-live="polite"
          className="messages"
          data={items}
          firstItemIndex={timeline.firstIndex}
          initialTopMostItemIndex={target >= 0 ? { index: target, align: "center" } : { index: Math.max(0, items.length - 1), align: "end" }}
          computeItemKey={(_, item) => ("message" in item ? item.message.id : item.pending.clientMessageId)}
          startReached={() => void store.loadOlder(c.id)}
          endReached={() => void store.loadNewer(c.id)}
          followOutput={(atBottom) => (atBottom ? "auto" : false)}
          increaseViewportBy={{ top: 400, bottom: 400 }}
          itemContent={(index, item) => {
            const previous = items[index - timeline.firstIndex - 1];
            const before = previous ? ("message" in previous ? previous.message : undefined) : undefined;
            return "message" in item ? (
              <MessageItem
                store={store}
                message={item.message}
                previous={before}
                highlighted={item.message.seq === timeline.highlight}
                sender={store.userName(item.message.senderId)}
                receipt={item.message.senderId === store.me.id && !item.message.deletedAt ? store.receiptState(item.message) : null}
                onReply={setReplyTo}
              />
            ) : (
              <PendingItem store={store} pending={item.pending} />
            );
          }}
        />
      ) : (
        <div className="messages loading">Loading messages…</div>
      )}
      <p className="typing" aria-live="polite">
        {typing.length === 1 ? `${typing[0]} is typing…` : typing.length > 1 ? `${typing.join(", ")} are typing…` : ""}
      </p>
      <Composer
        store={store}
        conversationId={c.id}
        replyTo={replyTo}
        onCancelReply={() => setReplyTo(null)}
        uploads={uploads}
        onFiles={attach}
        onSent={() => {
          setReplyTo(null);
          list.current?.scrollToIndex({ index: "LAST", behavior: "auto" });
        }}
      />
      {details && <Details store={store} conversation={c} onClose={() => setDetails(false)} />}
    </section>
  );
}
