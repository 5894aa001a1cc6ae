import PyFlameIR
import PyFlameLowering

/// Wavelets a playground core sends: `send NAME (x,y) [values]`.
public struct PlaygroundSend: Sendable, Equatable {
    public var pe: PECoord
    public var color: Int
    public var values: [UInt32]

    public init(pe: PECoord, color: Int, values: [UInt32]) {
        self.pe = pe
        self.color = color
        self.values = values
    }
}

/// A simulation in progress: the fabric, the cores, the cycle, and what was delivered.
public final class Simulation {
    public let fabric: Fabric
    public let model: FabricModel
    public private(set) var cycle = 0
    /// Every wavelet delivered into a core queue, by PE, with its arrival cycle.
    public private(set) var deliveries: [PECoord: [Delivery]] = [:]
    /// Set when the simulation stopped on an error.
    public var error: SimulationError? { fabric.error ?? coreError }
    public internal(set) var coreError: SimulationError?
    public internal(set) var sends: [SendState] = []
    /// Program cores (nil for the playground).
    public internal(set) var cores: [CoreState] = []
    let program: FabricProgram?
    /// Cycles since a wavelet moved or a core did work.
    public private(set) var quietCycles = 0
    /// Core work done (steps completed) — progress for stall detection.
    var coreProgress = 0
    /// Cycle → PE busy counts for `:stats`.
    public private(set) var busyCycles: [PECoord: Int] = [:]
    var sendsDone = 0
    /// Sends with wavelets left, by index.
    var activeSends: [Int] = []
    var coresDone = 0
    /// Wavelets on the ramp into a core, recorded when they arrive.
    var pendingDeliveries: [(PECoord, Delivery)] = []
    /// Optional observer of deliveries (trace export).
    public var onDelivery: ((PECoord, Delivery) -> Void)?

    public struct SendState {
        public var pe: PECoord
        public var color: Int
        public var values: [UInt32]
        public var next = 0
    }

    /// The routing playground: hand-written routes and sends (wavelets enter the ramp from cycle 0).
    public init(width: Int, height: Int, routes: [RouteConfig], sends: [PlaygroundSend], model: FabricModel) {
        self.model = model
        self.fabric = Fabric(width: width, height: height, routes: routes, model: model)
        self.program = nil
        self.sends = sends.map { SendState(pe: $0.pe, color: $0.color, values: $0.values) }
        self.sendsDone = self.sends.filter { $0.values.isEmpty }.count
        self.activeSends = self.sends.indices.filter { !self.sends[$0].values.isEmpty }
    }

    /// A lowered program: host inputs are loaded into PE buffers, then every PE runs its steps.
    public init(program: FabricProgram, inputs: [NodeID: TensorValue], model: FabricModel) throws(SimulationError) {
        self.model = model
        self.program = program
        self.fabric = Fabric(width: program.fabric.width, height: program.fabric.height, routes: program.routes, model: model)
        var byPE: [PECoord: CoreState] = [:]
        for p in program.pes { byPE[p.pe] = CoreState(program: p, fabric: fabric, model: model) }
        for transfer in program.hostInputs {
            guard let value = inputs[transfer.node] else {
                throw SimulationError(kind: .program, message: "no value for host input \(transfer.name)", cycle: 0)
            }
            for piece in transfer.pieces {
                byPE[piece.pe]!.load(buffer: piece.buffer, from: value, tile: piece.tile)
            }
        }
        cores = program.pes.map { byPE[$0.pe]! }
    }

    /// True when nothing is left to do: every send done, every core finished, nothing in flight.
    public var isFinished: Bool {
        sendsPending == 0 && coresRunning == 0 && fabric.isIdle && pendingDeliveries.isEmpty
            && (program != nil || model.sinkRate == 0 || fabric.queuedAtCores == 0)
    }

    /// Sends with wavelets left, and cores with steps left.
    var sendsPending: Int { sends.count - sendsDone }
    var coresRunning: Int { cores.count - coresDone }

    /// Wavelets on the fabric now.
    public var waveletsInFlight: Int { fabric.inFlight.reduce(0, +) }

    func advanceClock(to target: Int) {
        cycle = target
        recordArrivals()
    }

    /// Deliveries count from the cycle they reach the core's queue (after the ramp).
    private func recordArrivals() {
        var taken = 0
        while taken < pendingDeliveries.count && pendingDeliveries[taken].1.cycle <= cycle {
            let (pe, d) = pendingDeliveries[taken]
            deliveries[pe, default: []].append(d)
            onDelivery?(pe, d)
            taken += 1
        }
        if taken > 0 { pendingDeliveries.removeFirst(taken) }
    }

    /// Runs one cycle. Returns false if the simulation stopped (finished or error).
    @discardableResult
    public func step() -> Bool {
        guard error == nil else { return false }
        let now = cycle
        var progress = 0
        // Playground sends: one wavelet per cycle per send, from cycle 0.
        var keep = 0
        for k in 0..<activeSends.count {
            let i = activeSends[k]
            let s = sends[i]
            defer {
                if sends[i].next < sends[i].values.count { activeSends[keep] = i; keep += 1 }
            }
            if fabric.canInject(pe: s.pe, color: s.color, now: now) {
                fabric.inject(pe: s.pe, color: s.color, value: s.values[s.next], now: now)
                sends[i].next += 1
                if sends[i].next == s.values.count { sendsDone += 1 }
                progress += 1
            }
            if fabric.error != nil { return false }
        }
        activeSends.removeLast(activeSends.count - keep)
        // Program cores.
        for i in cores.indices where !cores[i].isFinished {
            if cores[i].step(now: now) { progress += 1 }
            if cores[i].isFinished { coresDone += 1 }
            if let e = cores[i].error { coreError = e; return false }
            if fabric.error != nil { return false }
            busyCycles[cores[i].pe, default: 0] += cores[i].busyThisCycle ? 1 : 0
        }
        fabric.step(now: now)
        progress += fabric.movedThisCycle
        for arrival in fabric.arrivals {
            let pe = fabric.coreQueuePEOf(arrival.queue)
            pendingDeliveries.append((pe, Delivery(cycle: arrival.ready, color: fabric.coreQueueColorOf(arrival.queue), payload: arrival.value)))
        }
        // Playground sinks: each queue gives up one arrived wavelet per cycle (sink_rate).
        if program == nil && model.sinkRate > 0 {
            progress += fabric.drainOnePerQueue(now: now)
        }
        cycle += 1
        recordArrivals()
        quietCycles = progress > 0 ? 0 : quietCycles + 1
        return error == nil
    }
}
