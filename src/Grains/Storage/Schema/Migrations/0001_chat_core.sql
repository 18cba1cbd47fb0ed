-- Users, credentials, membership with receipts, and the message log.
CREATE TABLE users
(
    id             uuid        PRIMARY KEY,
    username       text        NOT NULL,
    username_key   text        NOT NULL UNIQUE,  -- lower(username): uniqueness is case-insensitive
    display_name   text        NOT NULL,
    status_message text        NOT NULL DEFAULT '',
    avatar_url     text        NULL,
    password_hash  text        NOT NULL,
    created_at     timestamptz NOT NULL
);

CREATE TABLE refresh_tokens
(
    token_hash bytea       PRIMARY KEY,  -- SHA-256 of the token; the token itself is never stored
    family_id  uuid        NOT NULL,
    user_id    uuid        NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    spent_at   timestamptz NULL,
    revoked_at timestamptz NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Written only by the conversation's grain. read_seq/delivered_seq are the member's receipts (watermarks).
CREATE TABLE conversation_members
(
    conversation_id uuid        NOT NULL,
    user_id         uuid        NOT NULL,
    role            text        NOT NULL,
    joined_at       timestamptz NOT NULL,
    read_seq        bigint      NOT NULL DEFAULT 0,
    delivered_seq   bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_user ON conversation_members (user_id);

CREATE TABLE messages
(
    conversation_id   uuid        NOT NULL,
    seq               bigint      NOT NULL,
    id                uuid        NOT NULL UNIQUE,
    sender_id         uuid        NOT NULL,
    client_message_id text        NOT NULL,
    content_type      text        NOT NULL,
    content           text        NULL,  -- NULL on a tombstone
    format            text        NOT NULL,
    reply_to_seq      bigint      NULL,
    created_at        timestamptz NOT NULL,
    edited_at         timestamptz NULL,
    deleted_at        timestamptz NULL,
    search            tsvector    GENERATED ALWAYS AS (to_tsvector('simple', coalesce(content, ''))) STORED,
    PRIMARY KEY (conversation_id, seq),
    UNIQUE (conversation_id, sender_id, client_message_id)
);
CREATE INDEX messages_search ON messages USING gin (search);
