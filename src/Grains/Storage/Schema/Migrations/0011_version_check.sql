-- A change may only move its conversation's head from the version before it: a stale activation of a conversation
-- (two can briefly coexist while silos come and go) must not write a change at a version already used. Statements
-- that change something call this with whether the head moved; when it did not, the whole statement rolls back.
CREATE OR REPLACE FUNCTION chat_require_head(moved boolean) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT moved THEN
        RAISE EXCEPTION 'conversation version moved on: stale writer' USING ERRCODE = '40001';
    END IF;
    RETURN true;
END
$$;
