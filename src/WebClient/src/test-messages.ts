import type { Message } from "./types";

/** A message of conversation "c" from user "other", for the unit tests. */
export const messageAt = (seq: number, version = seq, content = `m${seq}`): Message => ({
  id: `id-${seq}`,
  conversationId: "c",
  seq,
  senderId: "other",
  clientMessageId: `c-${seq}`,
  contentType: "text",
  content,
  format: "plain",
  replyToSeq: null,
  forwardedFrom: null,
  attachments: [],
  reactions: [],
  mentions: [],
  createdAt: "2026-11-28T10:00:00Z",
  editedAt: null,
  deletedAt: null,
  expiresAt: null,
  version,
});
