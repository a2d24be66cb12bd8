// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Ozhivlyator",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ozh-gateway", targets: ["APIGateway"]),
        .executable(name: "ozh-generation-worker", targets: ["GenerationWorker"]),
        .executable(name: "ozh-payment-worker", targets: ["PaymentWorker"]),
        .executable(name: "ozh-admin", targets: ["Admin"]),
        .executable(name: "ozh-queue-probe", targets: ["QueueProbeWorker"]),
        .executable(name: "ozh-sandbox", targets: ["Sandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CMongoC", pkgConfig: "libmongoc-1.0", providers: [.apt(["libmongoc-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CMagickWand", pkgConfig: "MagickWand", providers: [.apt(["libmagickwand-dev"])]),
        // The layers, bottom up (the README draws the graph): support and settings; observability; one
        // module per C library (bridges: they know nothing of jobs or money); the job queue and worker
        // runtime (knows nothing of billing); the domain (billing, quota, generation, payments and the
        // process wiring) on top. A module can import only what it lists here.
        .target(
            name: "OzhSupport", dependencies: [.product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]),
        .target(name: "OzhSettings", dependencies: ["OzhSupport", .product(name: "Configuration", package: "swift-configuration")]),
        .target(
            name: "OzhObservability",
            dependencies: [
                "OzhSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "OzhRedis",
            dependencies: [
                "CHiredis", "OzhSupport", "OzhObservability",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            // The Lua scripts are compiled into the binary (see LuaSource): one file per script or prelude part.
            resources: [
                .embedInCode("Lua/clock.lua")
            ]
        ),
        .target(name: "OzhMongo", dependencies: ["CMongoC", "OzhSupport", "OzhObservability", .product(name: "Logging", package: "swift-log")]),
        .target(name: "OzhHTTP", dependencies: ["CCurl", "OzhSupport"]),
        .target(name: "OzhImages", dependencies: ["CMagickWand", "OzhSupport"]),
        .target(
            name: "OzhQueue",
            dependencies: [
                "OzhSupport", "OzhObservability", "OzhRedis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [
                .embedInCode("Lua/queue.attempts.lua"),
                .embedInCode("Lua/queue.complete.lua"),
                .embedInCode("Lua/queue.complete_and_take.lua"),
                .embedInCode("Lua/queue.enqueue.lua"),
                .embedInCode("Lua/queue.fail.lua"),
                .embedInCode("Lua/queue.heartbeat.lua"),
                .embedInCode("Lua/queue.held.lua"),
                .embedInCode("Lua/queue.load.lua"),
                .embedInCode("Lua/queue.mark_processing.lua"),
                .embedInCode("Lua/queue.position.lua"),
                .embedInCode("Lua/queue.postpone.lua"),
                .embedInCode("Lua/queue.promote_due.lua"),
                .embedInCode("Lua/queue.purge_dead.lua"),
                .embedInCode("Lua/queue.reclaim_orphans.lua"),
                .embedInCode("Lua/queue.record_callback.lua"),
                .embedInCode("Lua/queue.recover_dead_workers.lua"),
                .embedInCode("Lua/queue.release.lua"),
                .embedInCode("Lua/queue.requeue_dead.lua"),
                .embedInCode("Lua/queue.retire.lua"),
                .embedInCode("Lua/queue.set_progress.lua"),
                .embedInCode("Lua/queue.snapshot.lua"),
                .embedInCode("Lua/queue.take.lua"),
                .embedInCode("Lua/queue.tickets.lua"),
                .embedInCode("Lua/idempotency_claim.lua"),
            ]
        ),
        .target(
            name: "OzhDomain",
            dependencies: [
                "OzhSupport", "OzhSettings", "OzhObservability", "OzhRedis", "OzhMongo", "OzhHTTP", "OzhQueue",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [
                .embedInCode("Lua/eta.record.lua"),
                .embedInCode("Lua/quota.acquire.lua"),
                .embedInCode("Lua/quota.cool_down.lua"),
                .embedInCode("Lua/quota.forecast.lua"),
                .embedInCode("Lua/quota.prelude.lua"),
                .embedInCode("Lua/quota.release.lua"),
                .embedInCode("Lua/quota.status.lua"),
            ]
        ),
        .executableTarget(
            name: "APIGateway",
            dependencies: [
                "OzhSupport", "OzhSettings", "OzhObservability", "OzhRedis", "OzhMongo", "OzhHTTP", "OzhImages", "OzhQueue", "OzhDomain",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // Compiled into the binary: served at GET /openapi.yaml from any working directory.
            resources: [.embedInCode("Resources/openapi.yaml")]
        ),
        .executableTarget(
            name: "GenerationWorker",
            dependencies: [
                "OzhSupport", "OzhSettings", "OzhRedis", "OzhMongo", "OzhHTTP", "OzhQueue", "OzhDomain",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "Admin",
            dependencies: [
                "OzhSupport", "OzhSettings", "OzhRedis", "OzhMongo", "OzhQueue", "OzhDomain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "Sandbox",
            dependencies: [
                "OzhSupport", "OzhSettings", "OzhHTTP", "OzhImages", "OzhDomain",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "QueueProbeWorker",
            dependencies: [
                "OzhSettings", "OzhObservability", "OzhRedis", "OzhQueue", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(name: "QueueBench", dependencies: ["OzhRedis", "OzhQueue"], path: "bench/QueueBench"),
        .executableTarget(name: "QuotaBench", dependencies: ["OzhRedis", "OzhHTTP", "OzhImages", "OzhDomain"], path: "bench/QuotaBench"),
        .executableTarget(name: "ImagesBench", dependencies: ["OzhImages"], path: "bench/ImagesBench"),
        .executableTarget(
            name: "PaymentWorker",
            dependencies: [
                "OzhSupport", "OzhSettings", "OzhRedis", "OzhMongo", "OzhHTTP", "OzhQueue", "OzhDomain",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Helpers every test target shares: loopback ports, child processes, the test servers'
        // settings and the conditions that skip suites without them, the package's paths.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "OzhTests",
            dependencies: [
                "OzhSupport", "OzhSettings", "OzhObservability", "OzhRedis", "OzhMongo", "OzhHTTP", "OzhImages", "OzhQueue", "OzhDomain",
                "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "APIGateway", "OzhSupport", "OzhSettings", "OzhObservability", "OzhRedis", "OzhMongo", "OzhHTTP", "OzhImages", "OzhQueue",
                "OzhDomain", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "SandboxTests",
            dependencies: [
                "Sandbox", "OzhSettings", "OzhHTTP", "OzhImages", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ]
)
