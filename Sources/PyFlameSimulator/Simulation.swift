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
    /// Every wavelet delivered into a core queue, by PE, with its arrival cycle. (While running, deliveries
    /// are appended to a log in arrival order; reading this sorts the new ones into per-PE lists.)
    public var deliveries: [PECoord: [Delivery]] {
        sortDeliveryLog()
        if let byPE = deliveriesByPE { return byPE }
        var byPE: [PECoord: [Delivery]] = Dictionary(minimumCapacity: deliveryLists.count)
        for k in deliveryLists.indices { byPE[deliveryPEs[k]] = deliveryLists[k] }
        deliveriesByPE = byPE
        return byPE
    }
    /// Set when the simulation stopped on an error.
    public var error: SimulationError? { fabric.error ?? coreError }
    public internal(set) var coreError: SimulationError?
    /// The playground's sends, with how far each has got.
    public var sends: [SendState] { playgroundSends.states }
    var playgroundSends: PlaygroundSends
    /// Program cores (nil for the playground).
    public internal(set) var cores: [CoreState] = []
    let program: FabricProgram?
    /// Cycles since a wavelet moved or a core did work.
    public private(set) var quietCycles = 0
    /// Cycles since progress: a core (or a playground send or sink) put a wavelet on the fabric, took one,
    /// or worked, or a wavelet reached a core's queue. Wavelets that only move are not progress: when this
    /// reaches the stall limit while they still move, they circle (a livelock).
    public private(set) var unproductiveCycles = 0
    /// Core work done (steps completed) — progress for stall detection.
    var coreProgress = 0
    /// Cycle → PE busy counts for `:stats`.
    public private(set) var busyCycles: [PECoord: Int] = [:]
    var coresDone = 0
    /// Deliveries in arrival order (`fabric.deliveryLog`): the first `recordedDeliveries` have reached
    /// their cores (not yet in the per-PE lists); the rest are still on the ramp.
    var deliveryLog: DeliveryLog { fabric.deliveryLog }
    var recordedDeliveries = 0
    /// Wavelets on the ramp into a core, recorded when they arrive.
    var pendingDeliveryCount: Int { deliveryLog.count - recordedDeliveries }
    /// Per receiving PE (in the order PEs first received): its deliveries; each core queue's list.
    var deliveryLists: [[Delivery]] = []
    var deliveryPEs: [PECoord] = []
    var deliveryListOfQueue: [Int32] = []
    var deliveryListOfPE: [PECoord: Int32] = [:]
    var deliveriesByPE: [PECoord: [Delivery]]?
    /// Optional observer of deliveries (trace export).
    public var onDelivery: ((PECoord, Delivery) -> Void)?

    /// A playground send and how many of its values are on the fabric.
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
        self.playgroundSends = PlaygroundSends(sends, fabric: fabric)
    }

    /// A lowered program: host inputs are loaded into PE buffers, then every PE runs its steps.
    /// `recordResources`: keep each core's record of the queues and tasks its fabric steps used
    /// (``CoreState/resourcesUsed``).
    public init(program: FabricProgram, inputs: [NodeID: TensorValue], model: FabricModel, recordResources: Bool = false) throws(SimulationError) {
        self.model = model
        self.program = program
        self.fabric = Fabric(
            width: program.fabric.width, height: program.fabric.height, routes: program.routes, model: model,
            coreQueueIDs: Fabric.coreQueueIDs(of: program))
        self.playgroundSends = PlaygroundSends([], fabric: fabric)
        var byPE: [PECoord: CoreState] = [:]
        for p in program.pes {
            var core = CoreState(program: p, fabric: fabric, model: model)
            core.recordsResources = recordResources
            byPE[p.pe] = core
        }
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
        sendsPending == 0 && coresRunning == 0 && fabric.isIdle && pendingDeliveryCount == 0
            && (program != nil || model.sinkRate == 0 || fabric.queuedAtCores == 0)
    }

    /// Sends with wavelets left, and cores with steps left.
    var sendsPending: Int { playgroundSends.pending }
    var coresRunning: Int { cores.count - coresDone }

    /// Wavelets on the fabric now.
    public var waveletsInFlight: Int { fabric.inFlight.reduce(0, +) }

    func advanceClock(to target: Int) {
        if fabric.needsRebase(at: target) { fabric.rebaseStamps(from: cycle, to: target) }
        cycle = target
        recordArrivals()
    }

    /// Deliveries count from the cycle they reach the core's queue (after the ramp).
    private func recordArrivals() {
        let arrived = deliveryLog.countArrived(by: cycle)
        guard recordedDeliveries < arrived else { return }
        if let observer = onDelivery {
            // One at a time: the observer may read `deliveries`, which sorts the log (and trims it).
            while recordedDeliveries < deliveryLog.countArrived(by: cycle) {
                let e = deliveryLog[recordedDeliveries]
                recordedDeliveries += 1
                let q = Int(e.queue)
                observer(fabric.coreQueuePEOf(q), Delivery(cycle: e.cycle, color: fabric.coreQueueColorOf(q), payload: e.payload))
            }
        } else {
            recordedDeliveries = arrived
        }
    }

    /// Moves the recorded deliveries from the log into the per-PE lists.
    private func sortDeliveryLog() {
        guard recordedDeliveries > 0 else { return }
        deliveriesByPE = nil
        if deliveryListOfQueue.count < fabric.coreQueueCount {
            deliveryListOfQueue += [Int32](repeating: -1, count: fabric.coreQueueCount - deliveryListOfQueue.count)
        }
        var lists = deliveryLists
        deliveryLists = []
        var listOfQueue = deliveryListOfQueue
        deliveryListOfQueue = []
        // Each queue's list (new PEs in the order they first received), then room for exactly what
        // each list gets, then the deliveries in order.
        var added: [Int32] = Array(repeating: 0, count: lists.count)
        let log = deliveryLog.entries
        for k in 0..<recordedDeliveries {
            let q = Int(log[k].queue)
            var l = Int(listOfQueue[q])
            if l < 0 {
                let pe = fabric.coreQueuePEOf(q)
                if let known = deliveryListOfPE[pe] {
                    l = Int(known)
                } else {
                    l = lists.count
                    lists.append([])
                    added.append(0)
                    deliveryPEs.append(pe)
                    deliveryListOfPE[pe] = Int32(l)
                }
                listOfQueue[q] = Int32(l)
            }
            added[l] += 1
        }
        for l in lists.indices where added[l] > 0 { lists[l].reserveCapacity(lists[l].count + Int(added[l])) }
        var run = 0
        for k in 0..<recordedDeliveries {
            let q = Int(log[k].queue)
            let cycle = deliveryLog.cycle(ofEntry: k, run: &run)
            lists[Int(listOfQueue[q])].append(Delivery(cycle: cycle, color: fabric.coreQueueColorOf(q), payload: log[k].payload))
        }
        deliveryLog.removeFirst(recordedDeliveries)
        recordedDeliveries = 0
        deliveryLists = lists
        deliveryListOfQueue = listOfQueue
    }

    /// Runs one cycle. Returns false if the simulation stopped (finished or error).
    @discardableResult
    public func step() -> Bool {
        guard error == nil else { return false }
        let now = cycle
        // Before the sends read this cycle's stamps.
        fabric.keepStampsExact(at: now)
        var progress = 0
        // Playground sends: one wavelet per cycle per send, from cycle 0.
        if !playgroundSends.isEmpty {
            guard let injected = playgroundSends.step(now: now, fabric: fabric) else { return false }
            progress += injected
        }
        // Program cores.
        for i in cores.indices where !cores[i].isFinished {
            if cores[i].step(now: now) { progress += 1 }
            if cores[i].isFinished { coresDone += 1 }
            if let e = cores[i].error { coreError = e; return false }
            if fabric.error != nil { return false }
            busyCycles[cores[i].pe, default: 0] += cores[i].busyThisCycle ? 1 : 0
        }
        // Deliveries into core queues are progress; moves alone are not (counted once per cycle, outside
        // the router loop, from the counters it keeps anyway).
        let deliveredBefore = fabric.deliveredCount
        fabric.step(now: now)
        progress &+= fabric.deliveredCount &- deliveredBefore
        // Playground sinks: each queue gives up one arrived wavelet per cycle (sink_rate).
        if program == nil && model.sinkRate > 0 {
            progress += fabric.drainOnePerQueue(now: now)
        }
        cycle += 1
        recordArrivals()
        unproductiveCycles = progress > 0 ? 0 : unproductiveCycles + 1
        quietCycles = progress > 0 || fabric.movedThisCycle > 0 ? 0 : quietCycles + 1
        return error == nil
    }
}
