import { useSyncExternalStore } from "react";

/** Where the app is: `/`, `/c/{conversationId}` or `/c/{conversationId}/m/{seq}` (a deep link to a message). */
export interface Route {
  conversationId: string | null;
  seq: number | null;
}

const listeners = new Set<() => void>();
window.addEventListener("popstate", () => listeners.forEach((l) => l()));

export function navigate(path: string) {
  if (path === location.pathname) return;
  history.pushState(null, "", path);
  listeners.forEach((l) => l());
}

export function parseRoute(path: string): Route {
  const match = /^\/c\/([0-9a-fA-F-]{36})(?:\/m\/(\d+))?\/?$/.exec(path);
  return match ? { conversationId: match[1].toLowerCase(), seq: match[2] ? Number(match[2]) : null } : { conversationId: null, seq: null };
}

export function useRoute(): Route {
  const path = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => location.pathname,
  );
  return parseRoute(path);
}

/** Follows a same-app link without a page load (keeps ctrl/middle-click opening a new tab). */
export function followLink(e: React.MouseEvent<HTMLAnchorElement>) {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(e.currentTarget.getAttribute("href")!);
}
