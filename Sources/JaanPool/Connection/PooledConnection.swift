/// A resource that a ``ConnectionPool`` can hold: it can say whether it still works, and it can be closed.
///
/// Conform your connection type (a database connection, a cache client, an upstream socket) to this protocol
/// and produce it from a ``ConnectionSource``.
public protocol PooledConnection: Sendable {
    /// Whether the connection can still be used.
    ///
    /// Return `false` once the connection is known to be broken (its socket failed, its protocol state is lost):
    /// the pool then closes it instead of lending it again, and opens a replacement if one is needed.
    /// The pool reads this property each time the connection comes back, so keep it cheap.
    var isUsable: Bool { get }

    /// Closes the connection.
    ///
    /// The pool calls this exactly once per connection, when it discards the connection (idle timeout, maximum
    /// lifetime, broken, failed validation, shutdown). It may be called from a cancelled task; close anyway.
    func close() async
}
