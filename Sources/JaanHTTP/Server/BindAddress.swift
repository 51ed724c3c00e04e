/// Where a server listens.
public struct BindAddress: Sendable, CustomStringConvertible {
    enum Kind: Sendable {
        case hostname(String, port: Int)
        case unixDomainSocket(path: String)
        case socketDescriptor(Int32)
    }

    let kind: Kind

    /// A TCP address; port 0 picks a free port (read it from the server's readiness callback).
    public static func hostname(_ host: String = "127.0.0.1", port: Int) -> BindAddress {
        BindAddress(kind: .hostname(host, port: port))
    }

    /// A unix domain socket at `path`; a stale socket file there is replaced.
    public static func unixDomainSocket(path: String) -> BindAddress {
        BindAddress(kind: .unixDomainSocket(path: path))
    }

    /// A socket that is already bound and listening, given as a file descriptor (a supervisor such as JaanCluster
    /// hands one to each worker). The server takes ownership and closes it when it stops.
    public static func socketDescriptor(_ descriptor: Int32) -> BindAddress {
        BindAddress(kind: .socketDescriptor(descriptor))
    }

    /// The address, for logs.
    public var description: String {
        switch self.kind {
        case .hostname(let host, let port): "\(host):\(port)"
        case .unixDomainSocket(let path): "unix:\(path)"
        case .socketDescriptor(let descriptor): "fd:\(descriptor)"
        }
    }
}
