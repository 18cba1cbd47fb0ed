import { useEffect, useState } from "react";
import { api, signOut } from "../api";
import { renderSnippet } from "../markdown";
import { askPermission, dismissOffer, shouldOffer } from "../notifications";
import { followLink, navigate } from "../route";
import type { Session } from "../session";
import { useStore, type ChatStore } from "../store";
import type { Conversation, SearchHit, User } from "../types";
import { Avatar, Dialog, PeopleSearch } from "./common";

export function Sidebar({ store, openId, session }: { store: ChatStore; openId: string | null; session: Session }) {
  useStore(store);
  const [dialog, setDialog] = useState<"chat" | "group" | "privacy" | null>(null);
  const [offer, setOffer] = useState(shouldOffer);
  const me = store.me;

  return (
    <aside className="sidebar">
      <header className="me">
        <Avatar name={me.displayName} url={me.avatarUrl} />
        <span className="me-name">{me.displayName}</span>
        <button type="button" onClick={() => setDialog("privacy")}>
          Privacy
        </button>
        <button type="button" onClick={() => signOut(session.refreshToken)}>
          Log out
        </button>
      </header>
      <div className="actions">
        <button type="button" className="primary" onClick={() => setDialog("chat")}>
          New chat
        </button>
        <button type="button" onClick={() => setDialog("group")}>
          New group
        </button>
      </div>
      <MessageSearch store={store} />
      {offer && (
        <div className="offer">
          <p>Get a desktop notification when a message arrives while Chat is in the background?</p>
          <button type="button" onClick={() => askPermission().finally(() => setOffer(false))}>
            Enable notifications
          </button>
          <button type="button" className="link" onClick={() => (dismissOffer(), setOffer(false))}>
            Not now
          </button>
        </div>
      )}
      <nav aria-label="Conversations" className="conversations">
        {!store.loaded && <p className="hint">Loading…</p>}
        {store.loaded && store.conversations.size === 0 && <p className="hint">No conversations yet.</p>}
        <ul>
          {store.conversationList().map((c) => (
            <li key={c.id}>
              <ConversationLink store={store} conversation={c} open={c.id === openId} />
            </li>
          ))}
        </ul>
      </nav>
      {dialog === "chat" && (
        <Dialog title="New chat" onClose={() => setDialog(null)}>
          <PeopleSearch
            store={store}
            onPick={async (user) => {
              const c = await store.openDirect(user.id);
              setDialog(null);
              navigate(`/c/${c.id}`);
            }}
          />
        </Dialog>
      )}
      {dialog === "group" && <NewGroup store={store} onClose={() => setDialog(null)} />}
      {dialog === "privacy" && <Privacy onClose={() => setDialog(null)} />}
    </aside>
  );
}

function ConversationLink({ store, conversation: c, open }: { store: ChatStore; conversation: Conversation; open: boolean }) {
  const title = store.title(c);
  const unread = store.unread(c);
  const other = c.type === "direct" ? store.otherMember(c) : undefined;
  const last = c.lastMessage;
  const preview = last ? (last.deletedAt ? "Message deleted" : (last.content ?? "").replace(/[*_`~]+/g, "") || (last.attachments.length > 0 ? "Attachment" : "")) : "No messages yet";
  return (
    <a href={`/c/${c.id}`} onClick={followLink} aria-current={open ? "page" : undefined} className={`conversation${unread > 0 ? " unread" : ""}`}>
      <Avatar name={title} url={other ? store.users.get(other)?.avatarUrl : c.avatarUrl} presence={other ? store.presence.get(other) : undefined} />
      <span className="conversation-text">
        <span className="conversation-title">
          {title}
          {c.muted && <span role="img" aria-label="muted"> 🔕</span>}
        </span>
        <span className="preview">{last && c.type === "group" && !last.deletedAt ? `${store.userName(last.senderId)}: ${preview}` : preview}</span>
      </span>
      {c.unreadMentions > 0 && (
        <span className="mention" role="img" aria-label="mentioned you">
          @
        </span>
      )}
      {unread > 0 && (
        <span className="badge">
          {unread}
          <span className="sr-only"> unread</span>
        </span>
      )}
    </a>
  );
}

function NewGroup({ store, onClose }: { store: ChatStore; onClose: () => void }) {
  const [name, setName] = useState("");
  const [members, setMembers] = useState<User[]>([]);
  const [error, setError] = useState<string | null>(null);
  async function create(e: React.FormEvent) {
    e.preventDefault();
    try {
      const c = await store.createGroup(name.trim(), members.map((m) => m.id));
      onClose();
      navigate(`/c/${c.id}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : "The group was not created.");
    }
  }
  return (
    <Dialog title="New group" onClose={onClose}>
      <form onSubmit={create} className="stack">
        <label>
          Group name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        {members.length > 0 && (
          <ul className="chips" aria-label="Members to add">
            {members.map((m) => (
              <li key={m.id}>
                {m.displayName}
                <button type="button" className="icon" aria-label={`Remove ${m.displayName}`} onClick={() => setMembers(members.filter((x) => x.id !== m.id))}>
                  ✕
                </button>
              </li>
            ))}
          </ul>
        )}
        <PeopleSearch store={store} exclude={members.map((m) => m.id)} onPick={(u) => setMembers([...members, u])} />
        {error && (
          <p role="alert" className="failure">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={name.trim() === ""}>
          Create group
        </button>
      </form>
    </Dialog>
  );
}

function MessageSearch({ store }: { store: ChatStore }) {
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setHits(null);
      return;
    }
    const timer = setTimeout(() => {
      api<{ results: SearchHit[] }>("GET", `/search/messages?q=${encodeURIComponent(q)}&limit=20`).then((r) => setHits(r.results), () => setHits([]));
    }, 250);
    return () => clearTimeout(timer);
  }, [query]);
  return (
    <div className="message-search">
      <input type="search" aria-label="Search messages" placeholder="Search messages" value={query} onChange={(e) => setQuery(e.target.value)} />
      {hits && (
        <ul className="hits" aria-label="Search results">
          {hits.length === 0 && <li className="hint">No messages found.</li>}
          {hits.map((h) => {
            const c = store.conversations.get(h.conversationId);
            return (
              <li key={`${h.conversationId}/${h.seq}`}>
                <a href={`/c/${h.conversationId}/m/${h.seq}`} onClick={(e) => (followLink(e), setQuery(""))}>
                  <span className="hit-where">
                    {store.userName(h.senderId)}
                    {c ? ` · ${store.title(c)}` : ""}
                  </span>
                  <span className="snippet" dangerouslySetInnerHTML={{ __html: renderSnippet(h.snippet) }} />
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/** Who may add the user to groups: anyone, or only accepted contacts. */
function Privacy({ onClose }: { onClose: () => void }) {
  const [contactsOnly, setContactsOnly] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ allowGroupAddsFrom: string }>("GET", "/users/me/privacy").then(
      (p) => setContactsOnly(p.allowGroupAddsFrom === "contacts"),
      (e: Error) => setError(e.message),
    );
  }, []);
  const change = async (checked: boolean) => {
    setContactsOnly(checked);
    try {
      await api("PUT", "/users/me/privacy", { allowGroupAddsFrom: checked ? "contacts" : "anyone" });
      setError(null);
    } catch (e) {
      setContactsOnly(!checked);
      setError((e as Error).message);
    }
  };
  return (
    <Dialog title="Privacy" onClose={onClose}>
      <label className="check">
        <input type="checkbox" disabled={contactsOnly === null} checked={contactsOnly ?? false} onChange={(e) => void change(e.target.checked)} />
        Only my contacts can add me to groups
      </label>
      <p className="hint">People you blocked can never add you to a group.</p>
      {error && <p role="alert" className="failure">{error}</p>}
    </Dialog>
  );
}
