import { navigate } from "./route";
import type { ChatStore } from "./store";
import type { Message } from "./types";

const dismissedKey = "chat.notifications.dismissed";

/** Whether to offer desktop notifications: supported, not decided yet, and not waved away before. */
export function shouldOffer(): boolean {
  return "Notification" in window && Notification.permission === "default" && localStorage.getItem(dismissedKey) === null;
}

export function dismissOffer() {
  localStorage.setItem(dismissedKey, "1");
}

export async function askPermission(): Promise<void> {
  await Notification.requestPermission();
}

/** A desktop notification for a message that arrived while the tab is hidden; muted conversations stay silent. */
export function notifyIncoming(store: ChatStore, message: Message) {
  const conversation = store.conversations.get(message.conversationId);
  if (!document.hidden || !conversation || conversation.muted) return;
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  const sender = store.userName(message.senderId);
  const title = conversation.type === "group" ? `${sender} in ${store.title(conversation)}` : sender;
  const body = message.content ?? (message.attachments.length > 0 ? "Sent an attachment" : "");
  const notification = new Notification(title, { body: body.slice(0, 200), tag: conversation.id });
  notification.onclick = () => {
    window.focus();
    navigate(`/c/${conversation.id}`);
    notification.close();
  };
}
