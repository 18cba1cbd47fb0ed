import { memo, useEffect, useRef, useState } from "react";
import { downloadUrl } from "../api";
import { formatDay, formatSize, formatTime } from "../format";
import { renderMarkdown, renderPlain } from "../markdown";
import { navigate } from "../route";
import type { ChatStore, Pending } from "../store";
import { newDay } from "../timeline";
import type { Attachment, Message } from "../types";
import { Avatar, Dialog, useDownloadUrl } from "./common";

const quickReactions = ["👍", "❤️", "😂", "😮", "😢", "🎉"];
const editWindowMs = 5 * 60_000;

interface Props {
  store: ChatStore;
  message: Message;
  previous: Message | undefined;
  highlighted: boolean;
  /** Passed in (not read from the store here) so that a new name or receipt re-renders this memoised row. */
  sender: string;
  receipt: "sent" | "delivered" | "read" | null;
  onReply: (message: Message) => void;
}

export const MessageItem = memo(function MessageItem({ store, message: m, previous, highlighted, sender, receipt, onReply }: Props) {
  const [menu, setMenu] = useState<"actions" | "react" | null>(null);
  const [editing, setEditing] = useState(false);
  const [forwarding, setForwarding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mine = m.senderId === store.me.id;
  const deleted = m.deletedAt !== null;
  const canEdit = mine && !deleted && m.contentType === "text" && Date.now() - new Date(m.createdAt).getTime() < editWindowMs;

  const act = (work: () => Promise<unknown>) => {
    setMenu(null);
    work().catch((e: Error) => setError(e.message));
  };

  return (
    <div className="row">
      {newDay(previous?.createdAt, m.createdAt) && (
        <div className="day" role="separator">
          <span>{formatDay(m.createdAt)}</span>
        </div>
      )}
      <article className={`message${mine ? " mine" : ""}${highlighted ? " highlighted" : ""}${deleted ? " deleted" : ""}`} aria-current={highlighted ? "true" : undefined}>
        <Avatar name={sender} url={store.users.get(m.senderId)?.avatarUrl} />
        <div className="bubble">
          <header>
            <span className="sender">{sender}</span> <time dateTime={m.createdAt}>{formatTime(m.createdAt)}</time>
            {m.editedAt && !deleted && <span className="edited"> (edited)</span>}
          </header>
          {m.forwardedFrom && <p className="forwarded">Forwarded</p>}
          {m.replyToSeq !== null && !deleted && <Quote store={store} conversationId={m.conversationId} seq={m.replyToSeq} />}
          {deleted ? (
            <p className="text tombstone">This message was deleted.</p>
          ) : editing ? (
            <EditBox
              initial={m.content ?? ""}
              onSave={(content) => {
                setEditing(false);
                act(() => store.edit(m, content));
              }}
              onCancel={() => setEditing(false)}
            />
          ) : (
            m.content && <div className="text" dangerouslySetInnerHTML={{ __html: m.format === "markdown" ? renderMarkdown(m.content) : renderPlain(m.content) }} />
          )}
          {!deleted && m.attachments.length > 0 && <Attachments attachments={m.attachments} />}
          {m.reactions.length > 0 && (
            <div className="reactions">
              {m.reactions.map((r) => (
                <button
                  key={r.emoji}
                  type="button"
                  className="reaction"
                  aria-pressed={r.userIds.includes(store.me.id)}
                  aria-label={`${r.emoji} ${r.count}`}
                  title={r.userIds.map((id) => store.userName(id)).join(", ")}
                  onClick={() => act(() => store.react(m, r.emoji))}
                >
                  {r.emoji} {r.count}
                </button>
              ))}
            </div>
          )}
          {receipt && (
            <span className={`receipt ${receipt}`} role="img" aria-label={receipt[0].toUpperCase() + receipt.slice(1)} title={receipt}>
              {receipt === "sent" ? "✓" : "✓✓"}
            </span>
          )}
          {error && (
            <p role="alert" className="failure">
              {error}
            </p>
          )}
        </div>
        {!deleted && (
          <div className="message-menu">
            <button type="button" className="icon" aria-label="Message actions" aria-haspopup="menu" aria-expanded={menu !== null} onClick={() => setMenu(menu ? null : "actions")}>
              ⋯
            </button>
            {menu === "actions" && (
              <Menu label="Message actions" onClose={() => setMenu(null)}>
                <button role="menuitem" type="button" onClick={() => (setMenu(null), onReply(m))}>
                  Reply
                </button>
                {canEdit && (
                  <button role="menuitem" type="button" onClick={() => (setMenu(null), setEditing(true))}>
                    Edit
                  </button>
                )}
                <button role="menuitem" type="button" onClick={() => act(() => store.remove(m))}>
                  Delete
                </button>
                <button role="menuitem" type="button" onClick={() => setMenu("react")}>
                  React
                </button>
                <button role="menuitem" type="button" onClick={() => (setMenu(null), setForwarding(true))}>
                  Forward
                </button>
              </Menu>
            )}
            {menu === "react" && (
              <Menu label="Reactions" onClose={() => setMenu(null)} horizontal>
                {quickReactions.map((emoji) => (
                  <button key={emoji} role="menuitem" type="button" aria-label={`React with ${emoji}`} onClick={() => act(() => store.react(m, emoji))}>
                    {emoji}
                  </button>
                ))}
              </Menu>
            )}
          </div>
        )}
      </article>
      {forwarding && <Forward store={store} message={m} onClose={() => setForwarding(false)} />}
    </div>
  );
});

/** A message still on its way (or refused), shown where it will land. */
export function PendingItem({ store, pending: p }: { store: ChatStore; pending: Pending }) {
  return (
    <div className="row">
      <article className={`message mine pending${p.failed ? " failed" : ""}`}>
        <Avatar name={store.me.displayName} url={store.me.avatarUrl} />
        <div className="bubble">
          <header>
            <span className="sender">{store.me.displayName}</span> <time dateTime={p.createdAt}>{formatTime(p.createdAt)}</time>
          </header>
          {p.content && <div className="text" dangerouslySetInnerHTML={{ __html: renderMarkdown(p.content) }} />}
          {p.attachments.length > 0 && <Attachments attachments={p.attachments} />}
          {p.failed ? (
            <p className="failure" role="alert">
              Not sent: {p.failed}{" "}
              <button type="button" onClick={() => void store.deliver(p)}>
                Retry
              </button>
            </p>
          ) : (
            <span className="receipt sending" role="img" aria-label="Sending">
              🕓
            </span>
          )}
        </div>
      </article>
    </div>
  );
}

/** A menu whose items are reached with the arrow keys; Escape closes it and gives focus back. */
function Menu({ label, onClose, horizontal, children }: { label: string; onClose: () => void; horizontal?: boolean; children: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    const outside = (e: MouseEvent) => {
      if (!ref.current?.parentElement?.contains(e.target as Node)) onClose();
    };
    document.addEventListener("mousedown", outside);
    return () => {
      document.removeEventListener("mousedown", outside);
      if (document.activeElement === document.body) opener?.focus();
    };
  }, [onClose]);
  const move = (e: React.KeyboardEvent) => {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = horizontal ? { ArrowRight: 1, ArrowLeft: -1 } : { ArrowDown: 1, ArrowUp: -1 };
    if (e.key === "Escape") {
      e.preventDefault();
      onClose();
    } else if (e.key in next) {
      e.preventDefault();
      items[(at + next[e.key as keyof typeof next]! + items.length) % items.length]?.focus();
    }
  };
  return (
    <div ref={ref} role="menu" aria-label={label} aria-orientation={horizontal ? "horizontal" : "vertical"} className={`menu${horizontal ? " horizontal" : ""}`} onKeyDown={move}>
      {children}
    </div>
  );
}

function EditBox({ initial, onSave, onCancel }: { initial: string; onSave: (content: string) => void; onCancel: () => void }) {
  const [text, setText] = useState(initial);
  return (
    <form
      className="edit"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) onSave(text.trim());
      }}
    >
      <textarea
        aria-label="Edit message"
        value={text}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") onCancel();
          if (e.key === "Enter" && !e.shiftKey) {
            e.preventDefault();
            if (text.trim()) onSave(text.trim());
          }
        }}
      />
      <button type="submit">Save</button>
      <button type="button" className="link" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

function Quote({ store, conversationId, seq }: { store: ChatStore; conversationId: string; seq: number }) {
  const [quoted, setQuoted] = useState<Message | undefined>();
  useEffect(() => {
    let live = true;
    store.fetchMessage(conversationId, seq).then((m) => live && setQuoted(m));
    return () => {
      live = false;
    };
  }, [store, conversationId, seq]);
  return (
    <a className="quote" href={`/c/${conversationId}/m/${seq}`} onClick={(e) => (e.preventDefault(), navigate(`/c/${conversationId}/m/${seq}`))}>
      <strong>{quoted ? store.userName(quoted.senderId) : "…"}</strong>
      <span>{quoted ? (quoted.deletedAt ? "This message was deleted." : quoted.content || "Attachment") : ""}</span>
    </a>
  );
}

function Attachments({ attachments }: { attachments: Attachment[] }) {
  const [viewing, setViewing] = useState<Attachment | null>(null);
  return (
    <div className="attachments">
      {attachments.map((a) =>
        a.contentType.startsWith("image/") ? (
          <button key={a.id} type="button" className="thumbnail" aria-label={`Open image ${a.fileName}`} onClick={() => setViewing(a)}>
            <Picture url={a.thumbnailUrl ?? a.url} alt={a.fileName} width={a.width ? Math.min(256, a.width) : undefined} />
          </button>
        ) : (
          <a key={a.id} className="file" href={a.url} download={a.fileName} onClick={(e) => (e.preventDefault(), void download(a))}>
            {a.fileName} <small>{formatSize(a.size)}</small>
          </a>
        ),
      )}
      {viewing && (
        <Dialog title={viewing.fileName} onClose={() => setViewing(null)}>
          <Picture className="full" url={viewing.url} alt={viewing.fileName} />
        </Dialog>
      )}
    </div>
  );
}

function Picture({ url, ...props }: { url: string; alt: string; width?: number; className?: string }) {
  const src = useDownloadUrl(url);
  return src ? <img src={src} {...props} /> : <span className={`picture-placeholder ${props.className ?? ""}`} style={{ width: props.width }} />;
}

/** Downloads with a ticket fresh at the click (a page may stay open for longer than a ticket lives). */
async function download(a: Attachment) {
  const link = document.createElement("a");
  link.href = await downloadUrl(a.url);
  link.download = a.fileName;
  link.click();
}

function Forward({ store, message, onClose }: { store: ChatStore; message: Message; onClose: () => void }) {
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title="Forward to" onClose={onClose}>
      <form
        className="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await store.forward(message, chosen);
            onClose();
          } catch (err) {
            setError(err instanceof Error ? err.message : "Not forwarded.");
          }
        }}
      >
        <fieldset className="choices">
          <legend>Conversations</legend>
          {store.conversationList().map((c) => (
            <label key={c.id}>
              <input type="checkbox" checked={chosen.includes(c.id)} onChange={(e) => setChosen(e.target.checked ? [...chosen, c.id] : chosen.filter((x) => x !== c.id))} />
              {store.title(c)}
            </label>
          ))}
        </fieldset>
        {error && (
          <p role="alert" className="failure">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={chosen.length === 0}>
          Forward
        </button>
      </form>
    </Dialog>
  );
}
