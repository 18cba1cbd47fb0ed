import { useEffect, useId, useRef, useState } from "react";
import { api, downloadUrl } from "../api";
import type { ChatStore } from "../store";
import type { Presence, User } from "../types";

/** The ticketed URL of a download route once it is there (img src and links cannot send the bearer header). */
export function useDownloadUrl(url: string | null | undefined): string | undefined {
  const [ticketed, setTicketed] = useState<string>();
  useEffect(() => {
    let live = true;
    setTicketed(undefined);
    if (url) downloadUrl(url).then((u) => live && setTicketed(u), () => {});
    return () => {
      live = false;
    };
  }, [url]);
  return ticketed;
}

/** A modal dialog (the native one: focus stays inside, Escape closes it). */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: React.ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current!;
    dialog.showModal();
    return () => dialog.close();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby={id} onClose={onClose} onCancel={onClose}>
      <header className="dialog-header">
        <h2 id={id}>{title}</h2>
        <button type="button" className="icon" aria-label="Close" onClick={onClose}>
          ✕
        </button>
      </header>
      {children}
    </dialog>
  );
}

/** Finds people by username or display name prefix; each result is a button. */
export function PeopleSearch({ store, onPick, exclude = [] }: { store: ChatStore; onPick: (user: User) => void; exclude?: string[] }) {
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<User[]>([]);
  useEffect(() => {
    const q = query.trim();
    if (q.length === 0) {
      setResults([]);
      return;
    }
    const timer = setTimeout(() => {
      api<{ users: User[] }>("GET", `/users/search?q=${encodeURIComponent(q)}&limit=10`).then((r) => {
        store.rememberUsers(r.users);
        setResults(r.users.filter((u) => u.id !== store.me.id));
      }, () => setResults([]));
    }, 150);
    return () => clearTimeout(timer);
  }, [query, store]);
  const shown = results.filter((u) => !exclude.includes(u.id));
  return (
    <div className="people-search">
      <input type="search" aria-label="Search people" placeholder="Search people" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
      {shown.length > 0 && (
        <ul className="people" aria-label="People found">
          {shown.map((u) => (
            <li key={u.id}>
              <button type="button" className="person" onClick={() => onPick(u)}>
                <Avatar name={u.displayName} url={u.avatarUrl} />
                <span>
                  {u.displayName} <small>@{u.username}</small>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {query.trim() !== "" && shown.length === 0 && <p className="hint">Nobody found yet.</p>}
    </div>
  );
}

const hues = [210, 150, 20, 280, 340, 45, 190, 110];

/** A picture, or the initials on a colour that a name always gets. */
export function Avatar({ name, url, presence }: { name: string; url?: string | null; presence?: Presence }) {
  const src = useDownloadUrl(url);
  const hue = hues[[...name].reduce((h, ch) => h + ch.charCodeAt(0), 0) % hues.length];
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => [...w][0]?.toUpperCase())
    .join("");
  return (
    <span className="avatar" aria-hidden="true" style={{ "--hue": hue } as React.CSSProperties}>
      {src ? <img src={src} alt="" /> : initials || "?"}
      {presence && <span className={`dot ${presence.status}`} />}
    </span>
  );
}
