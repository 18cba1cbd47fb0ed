import { useRef, useState } from "react";
import { formatSize } from "../format";
import type { ChatStore } from "../store";
import type { Message } from "../types";

export interface Upload {
  id: string;
  name: string;
  sent: number;
  total: number;
  error: string | null;
}

interface Props {
  store: ChatStore;
  conversationId: string;
  replyTo: Message | null;
  onCancelReply: () => void;
  uploads: Upload[];
  onFiles: (files: File[]) => void;
  onSent: () => void;
}

const drafts = new Map<string, string>();

export function Composer({ store, conversationId, replyTo, onCancelReply, uploads, onFiles, onSent }: Props) {
  const [text, setText] = useState(() => drafts.get(conversationId) ?? "");
  const picker = useRef<HTMLInputElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  function change(value: string) {
    setText(value);
    drafts.set(conversationId, value);
    store.typingNow(conversationId, value.trim() !== "");
  }

  function send() {
    const content = text.trim();
    if (content === "") return;
    change("");
    store.typingNow(conversationId, false);
    void store.send(conversationId, content, replyTo?.seq ?? null);
    onSent();
    input.current?.focus();
  }

  return (
    <div className="composer">
      {replyTo && (
        <div className="replying">
          <span>
            Replying to <strong>{store.userName(replyTo.senderId)}</strong>: {replyTo.content?.slice(0, 80)}
          </span>
          <button type="button" className="icon" aria-label="Cancel reply" onClick={onCancelReply}>
            ✕
          </button>
        </div>
      )}
      {uploads.length > 0 && (
        <ul className="uploads" aria-label="Uploads">
          {uploads.map((u) => (
            <li key={u.id}>
              <span>
                {u.name} ({formatSize(u.total)})
              </span>
              {u.error ? (
                <span role="alert" className="failure">
                  {u.error}
                </span>
              ) : (
                <progress aria-label={`Uploading ${u.name}`} value={u.sent} max={u.total || 1} />
              )}
            </li>
          ))}
        </ul>
      )}
      <form
        className="composer-row"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <button type="button" className="icon" aria-label="Attach file" onClick={() => picker.current?.click()}>
          <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
            <path d="M21 11.5l-8.6 8.6a5.5 5.5 0 01-7.8-7.8l8.6-8.6a3.7 3.7 0 015.2 5.2l-8.6 8.6a1.8 1.8 0 01-2.6-2.6l7.9-7.9" />
          </svg>
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          onChange={(e) => {
            onFiles([...(e.target.files ?? [])]);
            e.target.value = "";
          }}
        />
        <textarea
          ref={input}
          aria-label="Message"
          placeholder="Message (**bold**, _italic_, `code`; Enter sends, Shift+Enter for a new line)"
          rows={1}
          value={text}
          onChange={(e) => change(e.target.value)}
          onBlur={() => store.typingNow(conversationId, false)}
          onPaste={(e) => {
            const files = [...e.clipboardData.files];
            if (files.length > 0) {
              e.preventDefault();
              onFiles(files);
            }
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" className="primary" disabled={text.trim() === ""}>
          Send
        </button>
      </form>
    </div>
  );
}
