-- Conversation versions (API.md): every change members can see takes the conversation's next version, written in
-- the same statement as the change, so the version is recoverable on activation like seq and a frontend that
-- missed an event can read what changed after the last version it forwarded.

-- One row per conversation: the latest version, and the latest version of its membership log and of its own
-- fields and roles (what conversationUpdated carries).
CREATE TABLE conversation_heads
(
    conversation_id uuid   PRIMARY KEY,
    version         bigint NOT NULL,
    info_version    bigint NOT NULL DEFAULT 0
);

-- A message's version is that of its last change (creation, edit, delete, reaction); created_version is the one
-- at which it was posted. Messages from before versions existed take their seq for both.
ALTER TABLE messages
    ADD COLUMN version         bigint NOT NULL DEFAULT 0,
    ADD COLUMN created_version bigint NOT NULL DEFAULT 0;
UPDATE messages SET version = seq, created_version = seq;
CREATE INDEX messages_version ON messages (conversation_id, version);

-- The version of the member's last receipt (or of joining, or of a send, which moves the sender's own receipts).
ALTER TABLE conversation_members ADD COLUMN version bigint NOT NULL DEFAULT 0;

-- Who joined and left, and who did it: replayed exactly to a frontend that missed the events. Bounded by how often
-- membership changes, never by the number of messages.
CREATE TABLE membership_changes
(
    conversation_id uuid    NOT NULL,
    version         bigint  NOT NULL,
    user_id         uuid    NOT NULL,
    by_user_id      uuid    NOT NULL,
    added           boolean NOT NULL,
    PRIMARY KEY (conversation_id, version)
);

INSERT INTO conversation_heads (conversation_id, version)
SELECT conversation_id, max(seq) FROM messages GROUP BY conversation_id;
