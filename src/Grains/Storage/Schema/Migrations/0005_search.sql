-- Prefix search over users; message search uses messages.search (GIN) from 0001.
CREATE INDEX users_username_prefix ON users (username_key text_pattern_ops);
CREATE INDEX users_display_name_prefix ON users (lower(display_name) text_pattern_ops);
