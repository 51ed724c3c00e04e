import JaanCluster

/// The command line of the test worker: cluster settings in milliseconds and megabytes, so tests can
/// configure short timeouts. Workers get the same arguments as the supervisor.
struct Options {
    var configuration = Cluster.Configuration(host: "127.0.0.1", port: 0, workers: .fixed(2))
    /// Exit with code 1 before reporting ready (a crash loop).
    var crashOnStart = false
    /// Never report ready (a start timeout).
    var neverReady = false

    init(arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            if flag == "--crash-on-start" {
                crashOnStart = true
                continue
            }
            if flag == "--never-ready" {
                neverReady = true
                continue
            }
            if flag == "--shared-socket" {
                configuration.listening = .sharedSocket
                continue
            }
            guard let value = iterator.next() else { break }
            let number = Int(value) ?? 0
            switch flag {
            case "--host": configuration.host = value
            case "--port": configuration.port = number
            case "--workers": configuration.workers = value == "auto" ? .automatic : .fixed(number)
            case "--status-file": configuration.statusFile = value
            case "--memory-limit-mb": configuration.memoryLimit = number * 1_048_576
            case "--start-timeout-ms": configuration.startTimeout = .milliseconds(number)
            case "--shutdown-timeout-ms": configuration.shutdownTimeout = .milliseconds(number)
            case "--sample-interval-ms": configuration.sampleInterval = .milliseconds(number)
            case "--initial-backoff-ms": configuration.initialBackoff = .milliseconds(number)
            case "--maximum-backoff-ms": configuration.maximumBackoff = .milliseconds(number)
            case "--minimum-uptime-ms": configuration.minimumUptime = .milliseconds(number)
            case "--maximum-restarts": configuration.maximumRestarts = number
            case "--restart-window-ms": configuration.restartWindow = .milliseconds(number)
            default: break
            }
        }
    }
}
