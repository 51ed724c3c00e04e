-- Accounts and their login sessions.
-- Emails are stored lower-cased; text_pattern_ops serves both equality (login, uniqueness)
-- and prefix search whatever the database's collation.
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    name text NOT NULL,
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email text_pattern_ops);
CREATE INDEX users_name_prefix ON users ((lower(name)) text_pattern_ops);

-- Only the SHA-256 of a bearer token is stored.
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
