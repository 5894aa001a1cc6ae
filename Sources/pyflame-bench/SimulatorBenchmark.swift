import Foundation
import PyFlameIR
import PyFlameLowering
import PyFlameSimulator

// Simulator benchmarks: the fabric engine against the lean kernel (Benchmarks/LeanKernel/lean-kernel.swift,
// compiled here at run time), an idle wafer, one wafer-scale cycle, and the memory of a whole-wafer
// route set. Figures only, never thresholds: the targets are printed beside them for the notes.
//   swift build -c release --product pyflame-bench && .build/release/pyflame-bench sim
// (with `--scratch-path DIR`, run DIR/release/pyflame-bench: the lean kernel is built beside the running binary).
// PYFLAME_BENCH_SIM_PARTS=lean,2a,2a-shared,2b,2c,2c-shared,3,4,5 picks parts (all by default); the memory
// part re-runs this binary with PYFLAME_BENCH_SIM_MEMORY=1 so that its peak RSS is its own.

/// The package root, from this file's path (Sources/pyflame-bench/SimulatorBenchmark.swift).
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Prints a line at once (the output may be a pipe).
private func say(_ line: String) {
    print(line)
    fflush(nil)
}

/// Runs `executable` with `arguments`; returns (exit status, stdout + stderr).
private func runProcess(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do { try process.run() } catch { return (-1, "cannot run \(executable): \(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// `swiftc` on the PATH.
private func findSwiftc() -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
        let candidate = "\(dir)/swiftc"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// The lean kernel, compiled beside this binary.
private struct LeanKernel {
    let binary: String

    /// Its flit-hops/s at `args` (one run), printing its line.
    func run(_ args: [String]) -> Double? {
        let (status, output) = runProcess(binary, args)
        let line = output.split(separator: "\n").last.map(String.init) ?? ""
        say("lean kernel \(args.joined(separator: " ")): \(line)")
        guard status == 0, let range = line.range(of: "flit-hops/s="),
            let rate = Double(line[range.upperBound...].prefix { !$0.isWhitespace })
        else { return nil }
        return rate
    }

    static let waferArguments = [String(Architecture.wse2.usableFabric.width), String(Architecture.wse2.usableFabric.height), "1000000", "300"]
    static let smallArguments = ["64", "64", "10000", "2000"]
}

/// The lean kernel's flit-hops/s at wafer scale (750x994, 10^6 wavelets) and at 64x64 (10^4).
private func leanKernelBenchmark() -> (kernel: LeanKernel?, wafer: Double?, small: Double?) {
    let source = packageRoot.appendingPathComponent("Benchmarks/LeanKernel/lean-kernel.swift").path
    guard FileManager.default.fileExists(atPath: source) else {
        say("lean kernel: \(source) is missing; no lean-kernel figures, no ratios")
        return (nil, nil, nil)
    }
    guard let swiftc = findSwiftc() else {
        say("lean kernel: no swiftc on the PATH; no lean-kernel figures, no ratios")
        return (nil, nil, nil)
    }
    // Beside this binary (in whichever scratch path built it), so concurrent builds never share it.
    let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    let folder = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("bench-lean")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let binary = folder.appendingPathComponent("lean-kernel").path
    let (status, output) = runProcess(swiftc, ["-Ounchecked", source, "-o", binary])
    guard status == 0 else {
        say("lean kernel: swiftc failed (\(status)):\n\(output)")
        return (nil, nil, nil)
    }
    let kernel = LeanKernel(binary: binary)
    say("lean kernel: \(swiftc) -Ounchecked \(source) -o \(binary)")
    let wafer = kernel.run(LeanKernel.waferArguments)
    let small = (0..<3).compactMap { _ in kernel.run(LeanKernel.smallArguments) }.max()
    say(
        "lean kernel: \(wafer.map { fmt($0) } ?? "?") flit-hops/s at \(Architecture.wse2.usableFabric) with 10^6 (one run), \(small.map { fmt($0) } ?? "?") at 64x64 with 10^4 (best of 3)"
    )
    return (kernel, wafer, small)
}

/// The model matched to the lean kernel where it can be: hop latency 1, a link FIFO of 4
/// (hop latency + buffer depth), ramp latency 1, one wavelet per cycle into each sink.
private func leanModel() -> FabricModel {
    var model = FabricModel()
    model.hopLatency = 1
    model.bufferDepth = 3
    model.rampLatency = 1
    model.sinkRate = 1
    model.stallLimit = Int.max
    return model
}

/// Many short point-to-point streams spread over the fabric: a random source, a random offset of up to
/// `reach` in x and y (at least one hop), routed X then Y. Each stream takes the lowest color (below
/// `colors`) that no PE on its path routes yet, so every (PE, color) has one route and streams that
/// share a color never meet. Streams that find no free color are dropped; with `sharedLinks` false,
/// so are streams that would use an output (a link direction, or a core's ramp) another stream uses:
/// every stream then flows freely.
private func scatteredWorkload(
    width: Int, height: Int, streams: Int, reach: Int = 3, colors: Int = 21, sharedLinks: Bool,
    seed: UInt64, length: Int
)
    -> (routes: [RouteConfig], sends: [PlaygroundSend], colorsUsed: Int, meanHops: Double)
{
    var rng = seed
    func next() -> UInt64 { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng }
    func below(_ n: Int) -> Int { Int(((next() & 0xFFFF_FFFF) &* UInt64(n)) >> 32) }
    var taken = [UInt32](repeating: 0, count: width * height)
    var links = [UInt8](repeating: 0, count: sharedLinks ? 0 : width * height)
    var routes: [RouteConfig] = []
    var sources: [(PECoord, Int)] = []
    routes.reserveCapacity(streams * (2 * reach + 1))
    var path: [(x: Int, y: Int, rx: Direction, tx: Direction)] = []
    var hopTotal = 0, maxColor = 0
    var attempts = 0
    while sources.count < streams && attempts < streams * 8 {
        attempts += 1
        let sx = below(width), sy = below(height)
        let tx = min(max(sx + below(2 * reach + 1) - reach, 0), width - 1)
        let ty = min(max(sy + below(2 * reach + 1) - reach, 0), height - 1)
        if tx == sx && ty == sy { continue }
        path.removeAll(keepingCapacity: true)
        var x = sx, y = sy
        var from = Direction.ramp
        while x != tx || y != ty {
            let d: Direction = x < tx ? .east : x > tx ? .west : y < ty ? .south : .north
            path.append((x, y, from, d))
            x += d.step.dx; y += d.step.dy
            from = d.opposite
        }
        path.append((x, y, from, .ramp))
        var used: UInt32 = 0
        for p in path { used |= taken[p.y * width + p.x] }
        let free = ~used & ((1 << UInt32(colors)) - 1)
        if free == 0 { continue }
        if !sharedLinks {
            if path.contains(where: { links[$0.y * width + $0.x] & (1 << UInt8($0.tx.rawValue)) != 0 }) { continue }
            for p in path { links[p.y * width + p.x] |= 1 << UInt8(p.tx.rawValue) }
        }
        let color = free.trailingZeroBitCount
        for p in path {
            taken[p.y * width + p.x] |= 1 << UInt32(color)
            routes.append(RouteConfig(pe: PECoord(p.x, p.y), color: color, rx: [p.rx], tx: [p.tx]))
        }
        sources.append((PECoord(sx, sy), color))
        hopTotal += path.count - 1
        maxColor = max(maxColor, color)
    }
    // One array of payloads shared by every send (copy-on-write: stored once); sends in address order.
    let values = (0..<length).map { UInt32($0) }
    let sends = sources.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { PlaygroundSend(pe: $0.0, color: $0.1, values: values) }
    return (routes, sends, maxColor + 1, Double(hopTotal) / Double(max(sources.count, 1)))
}

/// Every row streaming east end to end on color 0.
private func rowStreams(width: Int, height: Int, length: Int) -> (routes: [RouteConfig], sends: [PlaygroundSend]) {
    var routes: [RouteConfig] = []
    routes.reserveCapacity(width * height)
    let values = (0..<length).map { UInt32($0) }
    var sends: [PlaygroundSend] = []
    for y in 0..<height {
        for x in 0..<width {
            let rx: Direction = x == 0 ? .ramp : .west
            let tx: Direction = x == width - 1 ? .ramp : .east
            routes.append(RouteConfig(pe: PECoord(x, y), color: 0, rx: [rx], tx: [tx]))
        }
        sends.append(PlaygroundSend(pe: PECoord(0, y), color: 0, values: values))
    }
    return (routes, sends)
}

private func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// CPU seconds this thread has run: beside wall time, a figure the other processes of a shared machine
/// disturb less.
private func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

private func fmt(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)g", x) }

/// Wavelet-hops per second (`fabric.hops` deltas over wall time) in `windows` windows of `measure`
/// cycles after `warmup` cycles; the best window is the figure (the machine may be shared), all are shown.
/// With `leanBeforeWindow`, a lean-kernel run precedes every window, so both sample the same spells of a
/// noisy machine equally often: the ratio is then the best window over the best of those lean runs, and
/// the ratio of each window to the lean run just before it is shown too, with their median.
private func throughput(
    _ label: String, width: Int, height: Int, routes: [RouteConfig], sends: [PlaygroundSend],
    warmup: Int, measure: Int, windows: Int, lean: Double?, target: Double?, extra: String = "",
    leanBeforeWindow: (() -> Double?)? = nil
) -> Double {
    var sim: Simulation!
    let build = seconds { sim = Simulation(width: width, height: height, routes: routes, sends: sends, model: leanModel()) }
    let warm = seconds { _ = sim.advance(warmup) }
    let inFlight0 = sim.waveletsInFlight
    var rates: [Double] = [], cpuRates: [Double] = []
    var hopsPerCycle = 0
    var leanRates: [Double?] = []
    for _ in 0..<windows {
        if let leanBeforeWindow { leanRates.append(leanBeforeWindow()) }
        let hops0 = sim.fabric.hops, cycle0 = sim.cycle
        let cpu0 = threadCPUSeconds()
        let wall = seconds { _ = sim.advance(measure) }
        rates.append(Double(sim.fabric.hops - hops0) / wall)
        cpuRates.append(Double(sim.fabric.hops - hops0) / (threadCPUSeconds() - cpu0))
        hopsPerCycle = (sim.fabric.hops - hops0) / max(sim.cycle - cycle0, 1)
    }
    let rate = rates.max()!
    let lean = leanRates.isEmpty ? lean : leanRates.compactMap { $0 }.max()
    var line = "\(label): \(width)x\(height), \(routes.count) routes, \(sends.count) streams\(extra); "
    line += "in flight \(inFlight0) -> \(sim.waveletsInFlight), \(hopsPerCycle) hops/cycle; best of \(windows) x \(measure) cycles after \(warmup) warm-up: "
    line += "\(fmt(rate)) wavelet-hops/s (\(fmt(rate / Double(max(hopsPerCycle, 1)))) cycles/s; windows: \(rates.map { fmt($0) }.joined(separator: ", ")); "
    line += "per CPU second: \(cpuRates.map { fmt($0) }.joined(separator: ", ")))"
    if let lean {
        line += String(format: ", %.2fx lean kernel (best window / best lean run %@)", rate / lean, fmt(lean))
        if !leanRates.isEmpty {
            let ratios = zip(rates, leanRates).map { pair in pair.1.map { pair.0 / $0 } }
            line += "; window / lean run before it: " + ratios.map { $0.map { String(format: "%.2f", $0) } ?? "?" }.joined(separator: ", ")
            let known = ratios.compactMap { $0 }.sorted()
            if !known.isEmpty { line += String(format: " (median %.2f)", known[known.count / 2]) }
        }
        if let target { line += rate / lean >= target ? " (target >= \(target)x: met)" : " (target >= \(target)x: MISSED)" }
    }
    line += String(format: " [build %.2f s, warm-up %.2f s]", build, warm)
    if let e = sim.error { line += " ERROR: \(e)" }
    say(line)
    return rate
}

/// Peak resident set of this process (VmHWM), in bytes.
private func peakRSS() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Int($0) }.first
        return kb.map { $0 * 1024 }
    }
    return nil
}

private func currentRSS() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
    }
    return nil
}

private func mib(_ bytes: Int?) -> String { bytes.map { String(format: "%.0f MiB", Double($0) / 1048576) } ?? "?" }

/// The memory benchmark, in a child process of its own so its VmHWM is its own: a 750x994 fabric
/// where every PE routes 4 colors (row broadcasts east and west, column broadcasts south and north:
/// every PE delivers all four to its core), each source sending 4 wavelets, run to completion.
private func memoryChild() {
    let width = Architecture.wse2.usableFabric.width, height = Architecture.wse2.usableFabric.height
    var routes: [RouteConfig] = []
    routes.reserveCapacity(width * height * 4)
    var sends: [PlaygroundSend] = []
    let values: [UInt32] = [1, 2, 3, 4]
    for y in 0..<height {
        for x in 0..<width {
            let pe = PECoord(x, y)
            routes.append(RouteConfig(pe: pe, color: 0, rx: [x == 0 ? .ramp : .west], tx: x == width - 1 ? [.ramp] : [.ramp, .east]))
            routes.append(RouteConfig(pe: pe, color: 1, rx: [x == width - 1 ? .ramp : .east], tx: x == 0 ? [.ramp] : [.ramp, .west]))
            routes.append(RouteConfig(pe: pe, color: 2, rx: [y == 0 ? .ramp : .north], tx: y == height - 1 ? [.ramp] : [.ramp, .south]))
            routes.append(RouteConfig(pe: pe, color: 3, rx: [y == height - 1 ? .ramp : .south], tx: y == 0 ? [.ramp] : [.ramp, .north]))
        }
        sends.append(PlaygroundSend(pe: PECoord(0, y), color: 0, values: values))
        sends.append(PlaygroundSend(pe: PECoord(width - 1, y), color: 1, values: values))
    }
    for x in 0..<width {
        sends.append(PlaygroundSend(pe: PECoord(x, 0), color: 2, values: values))
        sends.append(PlaygroundSend(pe: PECoord(x, height - 1), color: 3, values: values))
    }
    let before = currentRSS()
    var sim: Simulation! = nil
    let build = seconds { sim = Simulation(width: width, height: height, routes: routes, sends: sends, model: FabricModel()) }
    let afterBuild = currentRSS(), peakBuild = peakRSS()
    var outcome = RunOutcome.reachedLimit
    let run = seconds { outcome = sim.advance(10_000) }
    let afterRun = currentRSS()
    let deliveries = sim.deliveries.values.reduce(0) { $0 + $1.count }
    say(
        "memory: \(Architecture.wse2.usableFabric), every PE routing 4 colors (\(routes.count) routes, \(sim.fabric.coreQueueCount) core queues), "
            + "\(sends.count) sends of 4 wavelets run to \(outcome) at cycle \(sim.cycle) (\(deliveries) deliveries recorded); "
            + "RSS \(mib(before)) with the route list, \(mib(afterBuild)) after building (\(String(format: "%.2f", build)) s, peak \(mib(peakBuild))), "
            + "\(mib(afterRun)) after running (\(String(format: "%.2f", run)) s), \(mib(currentRSS())) with the deliveries by PE; peak (VmHWM) \(mib(peakRSS()))"
            + ((peakRSS() ?? Int.max) < 2 << 30 ? " (target < 2 GB: met)" : " (target < 2 GB: MISSED)"))
}

func simulatorBenchmark() {
    if ProcessInfo.processInfo.environment["PYFLAME_BENCH_SIM_MEMORY"] == "1" {
        memoryChild()
        exit(0)
    }
    say("-- simulator benchmarks (lean-matched model: hop latency 1, buffer depth 3 (link FIFO 4), ramp latency 1, sink rate 1)")
    let parts = ProcessInfo.processInfo.environment["PYFLAME_BENCH_SIM_PARTS"].map { Set($0.split(separator: ",").map(String.init)) }
    func part(_ name: String) -> Bool { parts == nil || parts!.contains(name) }
    // 1. The lean kernel.
    let lean: (kernel: LeanKernel?, wafer: Double?, small: Double?) = part("lean") ? leanKernelBenchmark() : (nil, nil, nil)

    // 2. Throughput. (a) scattered streams, ~10^6 in flight on the whole wafer: streams on their own links
    // (flowing freely, as nearly all of the lean kernel's population moves every cycle: the workload the
    // targets are for), then streams that may share links (contention, arbitration, backpressure: most
    // of their wavelets wait each cycle, so their hops/s measure less movement per wavelet; no target).
    let W = Architecture.wse2.usableFabric.width, H = Architecture.wse2.usableFabric.height
    for (name, shared, streams) in [("2a", false, 230_000), ("2a-shared", true, 140_000)] where part(name) {
        let (routes, sends, colors, meanHops) = scatteredWorkload(
            width: W, height: H, streams: streams, sharedLinks: shared,
            seed: 88172645463325252, length: 100)
        _ = throughput(
            "simulator, scattered streams, \(shared ? "shared links" : "own links")", width: W, height: H, routes: routes, sends: sends,
            warmup: 20, measure: 30, windows: 2, lean: lean.wafer, target: shared ? nil : 0.5,
            extra: String(format: " (%d colors, %.1f hops each)", colors, meanHops),
            leanBeforeWindow: shared ? nil : lean.kernel.map { kernel in { kernel.run(LeanKernel.waferArguments) } })
    }
    // (b) every row of the wafer streaming east end to end.
    if part("2b") {
        let (routes, sends) = rowStreams(width: W, height: H, length: 1_000)
        _ = throughput(
            "simulator, dense row streams", width: W, height: H, routes: routes, sends: sends, warmup: 760, measure: 30,
            windows: 2, lean: lean.wafer, target: nil)
    }
    // (c) scattered streams, ~10^4 in flight on 64x64.
    for (name, shared, streams) in [("2c", false, 2_400), ("2c-shared", true, 1_200)] where part(name) {
        let (routes, sends, colors, meanHops) = scatteredWorkload(
            width: 64, height: 64, streams: streams, sharedLinks: shared,
            seed: 88172645463325252, length: 10_400)
        _ = throughput(
            "simulator, scattered streams, \(shared ? "shared links" : "own links")", width: 64, height: 64, routes: routes, sends: sends,
            warmup: 100, measure: 2_000, windows: 5, lean: lean.small, target: shared ? nil : 0.6,
            extra: String(format: " (%d colors, %.1f hops each)", colors, meanHops),
            leanBeforeWindow: lean.kernel.map { kernel in { kernel.run(LeanKernel.smallArguments) } })
    }

    // 3. An idle wafer: routes everywhere, nothing in flight.
    if part("3") {
        let (routes, _) = rowStreams(width: W, height: H, length: 0)
        let sim = Simulation(width: W, height: H, routes: routes, sends: [], model: leanModel())
        var steps = 0
        let wall = seconds { while steps < 2_000_000 { sim.step(); steps += 1 } }
        say(
            "idle wafer: \(Architecture.wse2.usableFabric), \(routes.count) routes, nothing to send: \(fmt(Double(steps) / wall)) cycles/s through step() "
                + "(\(steps) steps in \(String(format: "%.3f", wall)) s; advance() returns .finished at once here)"
                + (Double(steps) / wall >= 1e6 ? " (target >= 1,000,000/s: met)" : " (target >= 1,000,000/s: MISSED)"))
        // Idle but not finished, through advance: one wavelet held by a full core queue (sink rate 0)
        // keeps one router busy; everything else on the wafer is idle.
        var model = leanModel()
        model.sinkRate = 0
        let stuck = Simulation(width: W, height: H, routes: routes, sends: [PlaygroundSend(pe: PECoord(0, 0), color: 0, values: Array(0..<20))], model: model)
        _ = stuck.advance(2_000)
        let start = stuck.cycle
        let n = 2_000_000
        var outcome = RunOutcome.finished
        let t = seconds { outcome = stuck.advance(n) }
        say(
            "idle wafer, not finished: the same routes, one row backed up into a full core queue (sink rate 0), "
                + "\(stuck.waveletsInFlight) held: \(fmt(Double(stuck.cycle - start) / t)) cycles/s through advance() "
                + "(\(stuck.cycle - start) cycles in \(String(format: "%.3f", t)) s, \(outcome))")
    }

    // 4. One advance(1) at wafer scale with ~10^5 wavelets in flight.
    if part("4") {
        let (routes, sends, _, _) = scatteredWorkload(width: W, height: H, streams: 24_000, sharedLinks: false, seed: 1234567, length: 200)
        let sim = Simulation(width: W, height: H, routes: routes, sends: sends, model: leanModel())
        _ = sim.advance(20)
        var samples: [Double] = []
        let inFlight = sim.waveletsInFlight
        for _ in 0..<60 { samples.append(seconds { _ = sim.advance(1) }) }
        let median = samples.sorted()[samples.count / 2]
        say(
            "one advance(1): \(Architecture.wse2.usableFabric), \(sends.count) scattered streams, \(inFlight) in flight: " + summary(samples)
                + (median < 0.016 ? " (target < 16 ms: met)" : " (target < 16 ms: MISSED)"))
    }

    // 5. Memory, in a child process.
    guard part("5") else { return }
    var environment = ProcessInfo.processInfo.environment
    environment["PYFLAME_BENCH_SIM_MEMORY"] = "1"
    let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    let (status, output) = runProcess(me, ["sim"], environment: environment)
    say(output.trimmingCharacters(in: .whitespacesAndNewlines) + (status == 0 ? "" : " (child exited \(status))"))
}
