-- Offline notifications: one row per message (its recipients in an array, so a message stays O(1) writes),
-- written in the message's own INSERT and delivered to the webhook by the dispatcher with retries.
CREATE TABLE notification_outbox
(
    id              bigserial   PRIMARY KEY,
    message_id      uuid        NOT NULL,
    conversation_id uuid        NOT NULL,
    seq             bigint      NOT NULL,
    recipients      uuid[]      NOT NULL,
    created_at      timestamptz NOT NULL,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'skipped', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text        NULL,
    done_at         timestamptz NULL
);
CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at) WHERE status = 'pending';
