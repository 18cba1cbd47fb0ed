-- Attachment metadata (the bytes are in blob storage) and avatars chosen from attachments.
CREATE TABLE attachments
(
    id              uuid        PRIMARY KEY,  -- also the upload id of a resumable upload
    conversation_id uuid        NOT NULL,
    uploader_id     uuid        NOT NULL REFERENCES users (id),
    file_name       text        NOT NULL,
    content_type    text        NOT NULL,
    size            bigint      NOT NULL,
    status          text        NOT NULL CHECK (status IN ('uploading', 'stored')),
    chunk_size      integer     NULL,         -- resumable uploads only
    sha256          text        NULL,         -- lowercase hex, set once stored
    width           integer     NULL,
    height          integer     NULL,
    has_previews    boolean     NOT NULL DEFAULT false,
    previews_done   boolean     NOT NULL DEFAULT false,  -- made, or found impossible (not an image, undecodable)
    message_seq     bigint      NULL,         -- the message it is attached to, once sent
    message_index   smallint    NULL,         -- its place among that message's attachments
    created_at      timestamptz NOT NULL
);
CREATE INDEX attachments_message ON attachments (conversation_id, message_seq) WHERE message_seq IS NOT NULL;
CREATE INDEX attachments_uploading ON attachments (created_at) WHERE status = 'uploading';

ALTER TABLE users ADD COLUMN avatar_attachment_id uuid NULL REFERENCES attachments (id);
ALTER TABLE users DROP COLUMN avatar_url;  -- never written: the avatar URL is derived from the attachment
