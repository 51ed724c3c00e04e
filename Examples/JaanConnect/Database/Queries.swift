import Foundation
import JaanPool
import JaanPostgres
import Logging

/// Every statement an endpoint runs, in one place, so a test can EXPLAIN each with real binds.
enum Queries {
    static func user(id: Int) -> PostgresQuery {
        "SELECT id, email, name, created_at FROM users WHERE id = \(id)"
    }

    static func account(email: String) -> PostgresQuery {
        "SELECT id, email, name, created_at, password_hash FROM users WHERE email = \(email)"
    }

    static func sessionUser(tokenHash: Data) -> PostgresQuery {
        """
        SELECT u.id, u.email, u.name, u.created_at, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = \(tokenHash) AND s.expires_at > now()
        """
    }

    static func users(after: Int, limit: Int) -> PostgresQuery {
        "SELECT id, email, name, created_at FROM users WHERE id > \(after) ORDER BY id LIMIT \(limit)"
    }

    /// Name or email prefix search. Range bounds on the text_pattern_ops indexes (rather than LIKE
    /// with a bind) keep the indexes usable by generic plans.
    static func users(prefix: String, after: Int, limit: Int) -> PostgresQuery {
        let upper = prefix + "\u{10FFFF}"
        return """
            SELECT id, email, name, created_at FROM users
            WHERE ((lower(name) ~>=~ \(prefix) AND lower(name) ~<~ \(upper)) OR (email ~>=~ \(prefix) AND email ~<~ \(upper)))
                AND id > \(after)
            ORDER BY id LIMIT \(limit)
            """
    }

    static func connections(of user: Int, status: String, limit: Int) -> PostgresQuery {
        """
        SELECT c.id, c.requester_id, c.addressee_id, c.status, c.created_at, c.accepted_at,
            u.id AS user_id, u.name AS user_name, u.email AS user_email
        FROM (
            (SELECT * FROM connections WHERE requester_id = \(user) AND status = \(status) ORDER BY id DESC LIMIT \(limit))
            UNION ALL
            (SELECT * FROM connections WHERE addressee_id = \(user) AND status = \(status) ORDER BY id DESC LIMIT \(limit))
        ) c
        JOIN users u ON u.id = CASE WHEN c.requester_id = \(user) THEN c.addressee_id ELSE c.requester_id END
        ORDER BY c.id DESC LIMIT \(limit)
        """
    }

    static func requestConnection(from requester: Int, to addressee: Int) -> PostgresQuery {
        """
        INSERT INTO connections (requester_id, addressee_id) SELECT \(requester), id FROM users WHERE id = \(addressee)
        RETURNING id, requester_id, addressee_id, status, created_at, accepted_at
        """
    }

    static func acceptConnection(id: Int, addressee: Int) -> PostgresQuery {
        """
        UPDATE connections SET status = 'accepted', accepted_at = now()
        WHERE id = \(id) AND addressee_id = \(addressee) AND status = 'pending'
        RETURNING id, requester_id, addressee_id, status, created_at, accepted_at
        """
    }

    static func connection(id: Int, party: Int) -> PostgresQuery {
        """
        SELECT id, requester_id, addressee_id, status, created_at, accepted_at FROM connections
        WHERE id = \(id) AND (requester_id = \(party) OR addressee_id = \(party))
        """
    }

    static func deleteConnection(id: Int, party: Int) -> PostgresQuery {
        "DELETE FROM connections WHERE id = \(id) AND (requester_id = \(party) OR addressee_id = \(party))"
    }

    /// Inserts the message only when the two users have an accepted connection.
    static func sendMessage(from sender: Int, to recipient: Int, body: String) -> PostgresQuery {
        """
        INSERT INTO messages (sender_id, recipient_id, body)
        SELECT \(sender), \(recipient), \(body) WHERE EXISTS (
            SELECT 1 FROM connections WHERE least(requester_id, addressee_id) = \(min(sender, recipient))
                AND greatest(requester_id, addressee_id) = \(max(sender, recipient)) AND status = 'accepted')
        RETURNING id, sender_id, recipient_id, body, created_at
        """
    }

    /// Both ends of the conversation are bound, one of them to the caller: no one reads another's messages.
    static func messages(between user: Int, and other: Int, before: Int, limit: Int) -> PostgresQuery {
        """
        SELECT id, sender_id, recipient_id, body, created_at FROM messages
        WHERE least(sender_id, recipient_id) = \(min(user, other)) AND greatest(sender_id, recipient_id) = \(max(user, other))
            AND id < \(before)
        ORDER BY id DESC LIMIT \(limit)
        """
    }
}
