-- When a member's own row last changed (watermarks, joining), for GET /sync.
ALTER TABLE conversation_members ADD COLUMN changed_at timestamptz NOT NULL DEFAULT now();
