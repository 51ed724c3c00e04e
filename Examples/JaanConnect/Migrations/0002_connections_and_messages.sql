-- Connection requests between two users; one row per pair, whichever asked first.
CREATE TABLE connections (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    requester_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    addressee_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted')),
    created_at timestamptz NOT NULL DEFAULT now(),
    accepted_at timestamptz,
    CHECK (requester_id <> addressee_id)
);
CREATE UNIQUE INDEX connections_pair_key ON connections (least(requester_id, addressee_id), greatest(requester_id, addressee_id));
CREATE INDEX connections_requester ON connections (requester_id, status, id);
CREATE INDEX connections_addressee ON connections (addressee_id, status, id);

-- Messages between two connected users, read newest first per conversation.
CREATE TABLE messages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sender_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipient_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_conversation ON messages (least(sender_id, recipient_id), greatest(sender_id, recipient_id), id DESC);
CREATE INDEX messages_recipient ON messages (recipient_id);
