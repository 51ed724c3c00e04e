extension PostgresConnection {
    /// How to open a connection and the session it sets up.
    public struct Configuration: Sendable {
        /// A libpq connection string or URI, for example the `DATABASE_URL`
        /// `postgresql://user:secret@db.example.com:5432/app`.
        public var connectionString: String
        /// The longest wait for the connection and its login. Defaults to 10 seconds.
        public var connectTimeout: Duration
        /// The session's `statement_timeout`: the server cancels any statement that runs longer.
        /// `nil` keeps the server's setting. Defaults to 60 seconds.
        public var statementTimeout: Duration?
        /// The session's `application_name`, shown in `pg_stat_activity`. Defaults to `"jaan"`.
        public var applicationName: String
        /// The session's `TimeZone`. Defaults to `"UTC"`.
        public var timeZone: String
        /// How many prepared statements a connection keeps; the least recently used is
        /// deallocated when a new one needs room. `0` prepares nothing and sends every
        /// statement with its binds in one unnamed step. Defaults to 256.
        public var preparedStatementCacheSize: Int
        /// Statements slower than this are logged at warning level; all are logged at debug level.
        /// Defaults to 1 second.
        public var slowQueryThreshold: Duration
        /// After a statement is cancelled, how long the server has to answer before the connection
        /// is considered to be in an unknown state and closed. Defaults to 5 seconds.
        public var cancelDrainTimeout: Duration

        /// Creates a configuration with the defaults.
        ///
        /// - Parameter connectionString: A libpq connection string or URI.
        public init(connectionString: String) {
            self.connectionString = connectionString
            self.connectTimeout = .seconds(10)
            self.statementTimeout = .seconds(60)
            self.applicationName = "jaan"
            self.timeZone = "UTC"
            self.preparedStatementCacheSize = 256
            self.slowQueryThreshold = .seconds(1)
            self.cancelDrainTimeout = .seconds(5)
        }
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    var timeInterval: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
