-- Messages to be posted later, and the index that finds the next message to expire.
CREATE TABLE scheduled_messages
(
    id                uuid        PRIMARY KEY,
    conversation_id   uuid        NOT NULL,
    sender_id         uuid        NOT NULL,
    client_message_id text        NOT NULL,
    content_type      text        NOT NULL,
    content           text        NOT NULL,
    format            text        NOT NULL,
    reply_to_seq      bigint      NULL,
    attachment_ids    uuid[]      NOT NULL DEFAULT '{}',
    scheduled_for     timestamptz NOT NULL,
    created_at        timestamptz NOT NULL,
    status            text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
    seq               bigint      NULL,   -- the message it became
    error             text        NULL,
    UNIQUE (conversation_id, sender_id, client_message_id)
);
CREATE INDEX scheduled_messages_due ON scheduled_messages (conversation_id, scheduled_for) WHERE status = 'pending';

CREATE INDEX messages_expiring ON messages (conversation_id, expires_at) WHERE expires_at IS NOT NULL AND deleted_at IS NULL;
