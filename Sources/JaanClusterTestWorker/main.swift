import JaanCluster
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// A minimal HTTP/1.1 server run under JaanCluster, for the cluster's tests and benchmark.
// Routes: `GET /` (200), `GET /pid` (the worker's pid), `GET /share` (the worker count and CPU share),
// `GET /slow?ms=N`, `GET /grow?mb=N` (keeps N MB resident), `GET /crash` (exit 1).
// SIGTERM: stop accepting, finish in-flight requests, exit 0.

LoggingSystem.bootstrap(StreamLogHandler.standardError)
let options = Options(arguments: Array(CommandLine.arguments.dropFirst()))
let cluster = Cluster(configuration: options.configuration, logger: Logger(label: "jaan.cluster.test-worker"))

do {
    switch try cluster.role() {
    case .supervisor(let supervisor):
        exit(await supervisor.run())
    case .worker(let worker), .single(let worker):
        if options.crashOnStart {
            worker.logger.info("Crashing on start, as asked")
            exit(1)
        }
        let server = TestServer(worker: worker)
        server.start()
        if !options.neverReady {
            worker.reportReady()
        }
        exit(server.waitUntilStopped())
    }
} catch {
    Logger(label: "jaan.cluster.test-worker").error("Cluster failed", metadata: ["error": "\(error)"])
    exit(2)
}
