// The JSON shapes of ../shared/API.md that the client reads.

export interface User {
  id: string;
  username: string;
  displayName: string;
  statusMessage: string;
  avatarUrl: string | null;
  createdAt: string;
}

export type Role = "owner" | "admin" | "member";

export interface Member {
  userId: string;
  role: Role;
  joinedAt: string;
}

export interface Conversation {
  id: string;
  type: "direct" | "group";
  name: string | null;
  description: string | null;
  avatarUrl: string | null;
  createdAt: string;
  createdBy: string;
  members: Member[];
  lastSeq: number;
  lastMessage: Message | null;
  readSeq: number;
  deliveredSeq: number;
  unreadCount: number;
  unreadMentions: number;
  muted: boolean;
  disappearAfterSeconds: number | null;
  version: number;
}

export interface Attachment {
  id: string;
  conversationId: string;
  fileName: string;
  contentType: string;
  size: number;
  width: number | null;
  height: number | null;
  url: string;
  thumbnailUrl: string | null;
  mediumUrl: string | null;
}

export interface Reaction {
  emoji: string;
  count: number;
  userIds: string[];
}

export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  clientMessageId: string;
  contentType: "text" | "image" | "file" | "system";
  content: string | null;
  format: "plain" | "markdown";
  replyToSeq: number | null;
  forwardedFrom: { conversationId: string; seq: number } | null;
  attachments: Attachment[];
  reactions: Reaction[];
  mentions: string[];
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  expiresAt: string | null;
  version: number;
}

export interface Receipts {
  userId: string;
  deliveredSeq: number;
  readSeq: number;
}

/** Where every member of a big group stands: what such a group tells instead of each member's receipts. */
export interface Watermarks {
  deliveredSeq: number;
  readSeq: number;
}

export interface Changes {
  conversationId: string;
  version: number;
  messages: Message[];
  receipts: Receipts[];
  members: Member[] | null;
  conversation: Conversation | null;
  isMember: boolean;
  hasMore: boolean;
  receiptsSummary: Watermarks | null;
}

export interface Presence {
  userId: string;
  status: "online" | "away" | "busy" | "offline";
  customStatus: string | null;
  lastSeenAt: string | null;
}

export interface SearchHit {
  conversationId: string;
  seq: number;
  senderId: string;
  createdAt: string;
  snippet: string;
}

export interface AuthResult {
  user: User;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}
