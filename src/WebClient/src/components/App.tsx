import { useEffect, useMemo, useState } from "react";
import { connect } from "../realtime";
import { navigate, useRoute } from "../route";
import { currentSession, onSessionChange, type Session } from "../session";
import { ChatStore, useStore } from "../store";
import { notifyIncoming } from "../notifications";
import { ConversationView } from "./ConversationView";
import { Sidebar } from "./Sidebar";
import { SignIn } from "./SignIn";

export function App() {
  const [session, setSession] = useState<Session | null>(currentSession);
  // A token refresh (here or in another tab) keeps the same user signed in; a sign-out or another user resets.
  useEffect(() => onSessionChange((next) => setSession((prev) => (prev?.user.id === next?.user.id ? prev : next))), []);
  return session ? <Signed key={session.user.id} session={session} /> : <SignIn />;
}

function Signed({ session }: { session: Session }) {
  const store = useMemo(() => new ChatStore(session.user), [session.user]);
  const [failure, setFailure] = useState<string | null>(null);
  const route = useRoute();
  useStore(store);

  useEffect(() => {
    store.onIncoming = (message) => notifyIncoming(store, message);
    const stop = connect(store);
    store.loadConversations().catch((e: Error) => setFailure(e.message));
    return stop;
  }, [store]);

  useEffect(() => {
    store.onRemoved = (id) => {
      if (store.openId === id) navigate("/");
    };
    if (route.conversationId) store.open(route.conversationId, route.seq).catch((e: Error) => setFailure(e.message));
    else store.openId = null;
  }, [store, route.conversationId, route.seq]);

  const unread = store.conversationList().reduce((sum, c) => sum + (c.muted ? 0 : store.unread(c)), 0);
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Chat` : "Chat";
  }, [unread]);

  const open = route.conversationId ? store.conversations.get(route.conversationId) : undefined;
  return (
    <div className={`app${route.conversationId ? " has-open" : ""}`}>
      <Sidebar store={store} openId={route.conversationId} session={session} />
      <main className="main">
        {failure && (
          <p role="alert" className="failure">
            {failure}
          </p>
        )}
        {open ? (
          <ConversationView key={open.id} store={store} conversation={open} />
        ) : (
          <div className="empty">
            <h1>Chat</h1>
            <p>{route.conversationId && store.loaded ? "This conversation does not exist or you are not in it." : "Pick a conversation, or start one with New chat."}</p>
          </div>
        )}
      </main>
      <div role="status" className="connection" data-connection={store.connection}>
        {store.connection === "reconnecting" ? "Reconnecting…" : ""}
      </div>
    </div>
  );
}
