import FoundationEssentials

/// Where a benchmark server listens: `--port N` (or a bare `N`) on the command line, else the `PORT`
/// environment variable, else 8080; always on 127.0.0.1.
public struct ServerOptions: Sendable {
    /// The loopback address the apps bind to.
    public var host: String
    /// The TCP port.
    public var port: Int

    /// Reads the options from this process's command line and environment.
    public init() {
        self.init(arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment)
    }

    /// Reads the options from the given command line and environment.
    /// - Parameters:
    ///   - arguments: The command line, program name first.
    ///   - environment: The environment variables.
    public init(arguments: [String], environment: [String: String]) {
        self.host = "127.0.0.1"
        var port = environment["PORT"].flatMap { Int($0) } ?? 8080
        var rest = arguments.dropFirst()[...]
        while let argument = rest.popFirst() {
            if argument == "--port", let value = rest.popFirst().flatMap({ Int($0) }) {
                port = value
            } else if let value = Int(argument) {
                port = value
            }
        }
        self.port = port
    }
}
