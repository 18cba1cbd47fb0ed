-- Edits, deletes, reactions, forwarding and mentions.
ALTER TABLE messages
    ADD COLUMN mentions                 uuid[]      NOT NULL DEFAULT '{}',
    ADD COLUMN forwarded_from_id        uuid        NULL,   -- conversation of the original
    ADD COLUMN forwarded_from_seq       bigint      NULL,
    ADD COLUMN expires_at               timestamptz NULL;
CREATE INDEX messages_mentions ON messages USING gin (mentions);

-- Every earlier version of an edited message, for the edit history.
CREATE TABLE message_edits
(
    conversation_id  uuid        NOT NULL,
    seq              bigint      NOT NULL,
    edited_at        timestamptz NOT NULL,  -- when this version was replaced
    previous_content text        NOT NULL,
    PRIMARY KEY (conversation_id, seq, edited_at)
);

CREATE TABLE message_reactions
(
    conversation_id uuid        NOT NULL,
    seq             bigint      NOT NULL,
    user_id         uuid        NOT NULL,
    emoji           text        NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, seq, user_id, emoji)
);

-- "Delete for me": hidden from one user's history only.
CREATE TABLE hidden_messages
(
    user_id         uuid   NOT NULL,
    conversation_id uuid   NOT NULL,
    seq             bigint NOT NULL,
    PRIMARY KEY (user_id, conversation_id, seq)
);

-- A message deleted for everyone takes its attachments with it.
ALTER TABLE attachments DROP CONSTRAINT attachments_status_check;
ALTER TABLE attachments ADD CONSTRAINT attachments_status_check CHECK (status IN ('uploading', 'stored', 'deleted'));
