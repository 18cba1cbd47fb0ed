import type { AuthResult, User } from "./types";

// The signed-in session, kept in localStorage so that it survives reloads and is shared by every tab. Refresh
// tokens rotate: each is spent by one refresh, and spending one twice revokes the family. So refreshing happens
// under a Web Lock across tabs, and a tab that gets the lock after another tab refreshed takes the stored pair.

export interface Session {
  user: User;
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

const key = "chat.session";
const early = 30_000;
const listeners = new Set<(session: Session | null) => void>();

export function currentSession(): Session | null {
  const raw = localStorage.getItem(key);
  return raw ? (JSON.parse(raw) as Session) : null;
}

export function saveSession(result: AuthResult): Session {
  const session = {
    user: result.user,
    accessToken: result.accessToken,
    refreshToken: result.refreshToken,
    expiresAt: Date.now() + result.expiresIn * 1000,
  };
  localStorage.setItem(key, JSON.stringify(session));
  notify(session);
  return session;
}

export function updateSessionUser(user: User) {
  const session = currentSession();
  if (session) {
    localStorage.setItem(key, JSON.stringify({ ...session, user }));
  }
}

export function clearSession() {
  localStorage.removeItem(key);
  notify(null);
}

export function onSessionChange(listener: (session: Session | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(session: Session | null) {
  listeners.forEach((l) => l(session));
}

// Another tab logged in, refreshed or logged out.
window.addEventListener("storage", (e) => {
  if (e.key === key || e.key === null) {
    notify(currentSession());
  }
});

export class SignedOut extends Error {}

/** An access token valid for at least a little longer, refreshing it (once for all tabs) when needed. */
export async function accessToken(forceRefresh = false): Promise<string> {
  const session = currentSession();
  if (!session) {
    throw new SignedOut("Signed out.");
  }

  if (!forceRefresh && session.expiresAt - early > Date.now()) {
    return session.accessToken;
  }

  return withRefreshLock(async () => {
    const now = currentSession();
    if (!now) {
      throw new SignedOut("Signed out.");
    }

    if (now.refreshToken !== session.refreshToken && now.expiresAt - early > Date.now()) {
      return now.accessToken; // another tab refreshed while this one waited for the lock
    }

    const response = await fetch("/api/v1/auth/refresh", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refreshToken: now.refreshToken }),
    });
    if (response.status === 401 || response.status === 400) {
      clearSession();
      throw new SignedOut("The session ended; sign in again.");
    }

    if (!response.ok) {
      throw new Error(`Refreshing the session failed (${response.status}).`);
    }

    return saveSession((await response.json()) as AuthResult).accessToken;
  });
}

function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  // Web Locks exist in secure contexts (https, localhost); elsewhere each tab refreshes on its own.
  return navigator.locks ? (navigator.locks.request("chat.refresh", work) as Promise<T>) : work();
}
