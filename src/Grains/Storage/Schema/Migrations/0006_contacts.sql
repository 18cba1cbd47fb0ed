-- Contacts (one row per side, each written by that user's grain), blocks, and reports for moderators.
CREATE TABLE contacts
(
    user_id    uuid        NOT NULL,
    contact_id uuid        NOT NULL,
    state      text        NOT NULL CHECK (state IN ('outgoing', 'incoming', 'accepted')),
    since      timestamptz NOT NULL,
    PRIMARY KEY (user_id, contact_id)
);

CREATE TABLE blocks
(
    user_id    uuid        NOT NULL,  -- the blocker
    blocked_id uuid        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, blocked_id)
);
CREATE INDEX blocks_blocked ON blocks (blocked_id);

CREATE TABLE reports
(
    id              uuid        PRIMARY KEY,
    reporter_id     uuid        NOT NULL,
    user_id         uuid        NULL,
    conversation_id uuid        NULL,
    seq             bigint      NULL,
    reason          text        NOT NULL,
    status          text        NOT NULL DEFAULT 'open',
    created_at      timestamptz NOT NULL
);
CREATE INDEX reports_open ON reports (created_at) WHERE status = 'open';
