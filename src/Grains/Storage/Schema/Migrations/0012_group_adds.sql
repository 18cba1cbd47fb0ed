-- Who may add a user to a group: anyone (the default) or only their accepted contacts.
ALTER TABLE users ADD COLUMN allow_group_adds_from text NOT NULL DEFAULT 'anyone'
    CHECK (allow_group_adds_from IN ('anyone', 'contacts'));
