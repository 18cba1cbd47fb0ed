-- Per-member conversation settings.
ALTER TABLE conversation_members ADD COLUMN muted boolean NOT NULL DEFAULT false;
