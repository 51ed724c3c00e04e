-- Address books imported by users; one row per owner and email.
CREATE TABLE contacts (
    owner_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email text NOT NULL,
    name text NOT NULL DEFAULT '',
    phone text,
    imported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner_id, email)
);
CREATE INDEX contacts_email ON contacts (email);
