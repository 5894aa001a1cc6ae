import PyFlameIR
import PyFlameLowering

/// Wavelets a playground core sends: `send NAME (x,y) [values]`, with the kind they were written in (how
/// the views read them).
public struct PlaygroundSend: Sendable, Equatable {
    public var pe: PECoord
    public var color: Int
    public var values: [UInt32]
    public var kind: PayloadKind
    /// Each value's command word (`ControlWavelet.commandWord`; 0 for data), or empty when all are data.
    public var commandWords: [UInt32] = []

    public init(pe: PECoord, color: Int, values: [UInt32], kind: PayloadKind = .integer) {
        self.pe = pe
        self.color = color
        self.values = values
        self.kind = kind
    }

    /// Data and control wavelets, in order.
    public init(pe: PECoord, color: Int, wavelets: [WaveletValue]) {
        self.init(pe: pe, color: color, values: wavelets.map(\.payload))
        let words = wavelets.map(\.commandWord)
        if words.contains(where: { $0 != 0 }) { commandWords = words }
    }

    /// Whether any of its wavelets is a control wavelet.
    public var hasControl: Bool { !commandWords.isEmpty }
}

/// A simulation in progress: the fabric, the cores, the cycle, and what was delivered.
public final class Simulation {
    public let fabric: Fabric
    public let model: FabricModel
    public internal(set) var cycle = 0
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
    /// Program cores; in the playground, its reacting cores (its sends and sinks are not core programs).
    public internal(set) var cores: [CoreState] = []
    /// In a playground with reacting cores: per core queue, the core that reads it (-1: a sink drains it).
    var queueReaders: [Int32] = []
    let program: FabricProgram?
    /// Whether this runs the routing playground: its sends inject from cycle 0, its reacting cores run
    /// their steps, and its other core queues sink what arrives (`sink_rate`).
    public let isPlayground: Bool
    /// Cycles since a wavelet moved or a core did work.
    public internal(set) var quietCycles = 0
    /// Cycles since progress: a core (or a playground send or sink) put a wavelet on the fabric, took one,
    /// or worked, or a wavelet reached a core's queue. Wavelets that only move are not progress: when this
    /// reaches the stall limit while they still move, they circle (a livelock).
    public internal(set) var unproductiveCycles = 0
    /// Core work done (steps completed) — progress for stall detection.
    var coreProgress = 0
    /// A lowered program's cores that wait for wavelets not yet delivered (empty for the playground).
    var sleeping = SleepingCores()
    /// Cycle → PE busy counts for `:stats`.
    public internal(set) var busyCycles: [PECoord: Int] = [:]
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
    /// The checkpoints a rewind goes back through (Simulation+Checkpoint.swift); nil keeps none.
    public internal(set) var checkpoints: CheckpointStore?
    /// The breakpoints the running `advance` watches (Breakpoints.swift); nil most of the time.
    var watch: BreakpointWatch?
    /// What looks at the routers around each cycle (a trace of hops or switch moves, a switch or drop
    /// breakpoint; RouterEvents.swift): empty most of the time, then one test a cycle.
    var routerWatches: [RouterWatch] = []

    /// A playground send and how many of its values are on the fabric.
    public struct SendState {
        public var pe: PECoord
        public var color: Int
        public var values: [UInt32]
        public var next = 0
    }

    /// Hand-written routes and sends with no program (wavelets enter the ramp from cycle 0): the simulator's
    /// own tests and benchmarks. The shell loads the playground's ``FabricProgram`` with ``init(program:inputs:model:)``.
    /// `hostStreams`: memcpy's streams at the edges, run one at a time in order (a stream no route carries
    /// stops the simulation before its first cycle).
    public init(width: Int, height: Int, routes: [RouteConfig], sends: [PlaygroundSend], model: FabricModel, hostStreams: [HostStream] = []) {
        self.model = model
        self.fabric = Fabric(
            width: width, height: height, routes: routes, model: model,
            controlColors: Set(sends.filter(\.hasControl).map(\.color)).union(Simulation.exitColors(hostStreams)))
        self.program = nil
        self.isPlayground = true
        self.playgroundSends = PlaygroundSends(sends, fabric: fabric)
        if !hostStreams.isEmpty {
            do throws(SimulationError) { try fabric.attachHostStreams(hostStreams) } catch { coreError = error }
        }
    }

    /// The colors wavelets leave the fabric on to the host: their routes run as dynamic ones (Fabric+HostEdges.swift).
    static func exitColors(_ streams: [HostStream]) -> Set<Int> { Set(streams.filter { !$0.isToDevice }.map(\.color)) }

    /// A program: host inputs are loaded into PE buffers, then every PE runs its steps. The routing
    /// playground's program (``FabricProgram/isPlayground``) runs as the playground does: each of its
    /// host input pieces is a send whose values `inputs` holds, injected from cycle 0, and its cores sink
    /// what arrives. `recordResources`: keep each core's record of the queues and tasks its fabric steps
    /// used (``CoreState/resourcesUsed``).
    public init(
        program: FabricProgram, inputs: [TransferSource: TensorValue], model: FabricModel, recordResources: Bool = false
    ) throws(SimulationError) {
        self.model = model
        self.program = program
        self.isPlayground = program.isPlayground
        self.fabric = Fabric(
            width: program.fabric.width, height: program.fabric.height, routes: program.routes, model: model,
            coreQueueIDs: Fabric.coreQueueIDs(of: program),
            controlColors: Set(program.playgroundCommandWords.keys).union(program.playgroundCoreCommandWords.keys.map(\.color))
                .union(Simulation.exitColors(program.playgroundHostStreams)))
        if program.isPlayground {
            if !program.playgroundHostStreams.isEmpty { try fabric.attachHostStreams(program.playgroundHostStreams) }
            self.playgroundSends = PlaygroundSends(try Simulation.sends(of: program, inputs: inputs), fabric: fabric)
            cores = try Simulation.reactingCores(of: program, inputs: inputs, fabric: fabric, model: model, recordResources: recordResources)
            queueReaders = cores.isEmpty ? [] : Simulation.queueReaders(cores, fabric: fabric)
            return
        }
        self.playgroundSends = PlaygroundSends([], fabric: fabric)
        var byPE: [PECoord: CoreState] = [:]
        for p in program.pes {
            var core = CoreState(program: p, fabric: fabric, model: model)
            core.recordsResources = recordResources
            byPE[p.pe] = core
        }
        for transfer in program.hostInputs {
            guard let value = inputs[transfer.source] else {
                throw SimulationError(.missingHostInput(name: transfer.name), cycle: 0)
            }
            for piece in transfer.pieces {
                byPE[piece.pe]!.load(buffer: piece.buffer, from: value, tile: piece.tile)
            }
        }
        cores = program.pes.map { byPE[$0.pe]! }
        sleeping = SleepingCores(cores, fabric: fabric)
    }

    /// The values a lowered program's host inputs copy in (what `run.py` would send): each IR input's
    /// reference value from `graph`.
    public static func hostInputValues(_ program: FabricProgram, graph: Graph) -> [TransferSource: TensorValue] {
        var inputs: [TransferSource: TensorValue] = [:]
        for transfer in program.hostInputs {
            if let node = transfer.node, let value = graph[node]?.value { inputs[transfer.source] = value }
        }
        return inputs
    }

    /// The playground program's sends: one per host input piece (a PE's segment of a color's values),
    /// its 32-bit payloads read from `inputs`.
    static func sends(of program: FabricProgram, inputs: [TransferSource: TensorValue]) throws(SimulationError) -> [PlaygroundSend] {
        var sends: [PlaygroundSend] = []
        for transfer in program.hostInputs {
            guard case .playgroundSends(let color) = transfer.source else { continue }  // own values load into cores
            guard let value = inputs[transfer.source] else {
                throw SimulationError(.missingPlaygroundValues(name: transfer.name, pe: nil), cycle: 0)
            }
            let elements = value.elements
            for piece in transfer.pieces {
                guard let range = piece.tile.ranges.first, range.lowerBound >= 0, range.upperBound <= elements.count else {
                    throw SimulationError(.missingPlaygroundValues(name: transfer.name, pe: piece.pe), cycle: 0)
                }
                var payloads: [UInt32] = []
                payloads.reserveCapacity(range.count)
                for x in elements[range] {
                    // A 32-bit payload, written signed (−2^31...2^31−1) or unsigned (up to 2^32−1).
                    if let signed = Int32(exactly: x) {
                        payloads.append(UInt32(bitPattern: signed))
                    } else if let unsigned = UInt32(exactly: x) {
                        payloads.append(unsigned)
                    } else {
                        throw SimulationError(.playgroundPayload(name: transfer.name, value: x), cycle: 0)
                    }
                }
                var send = PlaygroundSend(pe: piece.pe, color: color, values: payloads)
                // Control wavelets keep their command words (the playground program holds them by color).
                if let words = program.playgroundCommandWords[color], range.upperBound <= words.count,
                    words[range].contains(where: { $0 != 0 })
                {
                    send.commandWords = Array(words[range])
                }
                sends.append(send)
            }
        }
        return sends
    }

    /// True when nothing is left to do: every send done, every core finished, nothing in flight.
    public var isFinished: Bool {
        sendsPending == 0 && coresRunning == 0 && fabric.isIdle && pendingDeliveryCount == 0
            && (!isPlayground || model.sinkRate == 0 || fabric.queuedAtCores == 0) && (fabric.hostEdges?.pending ?? 0) == 0
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
    func recordArrivals() {
        let arrived = deliveryLog.countArrived(by: cycle)
        guard recordedDeliveries < arrived else { return }
        if onDelivery != nil || watch?.watchesArrivals == true {
            // One at a time: the observer may read `deliveries`, which sorts the log (and trims it).
            while recordedDeliveries < deliveryLog.countArrived(by: cycle) {
                let e = deliveryLog[recordedDeliveries]
                recordedDeliveries += 1
                let q = Int(e.queue & ~DeliveryLog.controlFlag)
                let pe = fabric.coreQueuePEOf(q)
                let delivery = Delivery(
                    cycle: e.cycle, color: fabric.coreQueueColorOf(q), payload: e.payload, isControl: e.queue & DeliveryLog.controlFlag != 0)
                watch?.arrived(pe, delivery)
                onDelivery?(pe, delivery)
            }
        } else {
            recordedDeliveries = arrived
        }
    }

    /// Moves the recorded deliveries from the log into the per-PE lists.
    func sortDeliveryLog() {
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
            let q = Int(log[k].queue & ~DeliveryLog.controlFlag)
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
            let q = Int(log[k].queue & ~DeliveryLog.controlFlag)
            let cycle = deliveryLog.cycle(ofEntry: k, run: &run)
            lists[Int(listOfQueue[q])].append(
                Delivery(cycle: cycle, color: fabric.coreQueueColorOf(q), payload: log[k].payload, isControl: log[k].queue & DeliveryLog.controlFlag != 0))
        }
        deliveryLog.removeFirst(recordedDeliveries)
        recordedDeliveries = 0
        deliveryLists = lists
        deliveryListOfQueue = listOfQueue
    }

    /// Runs one cycle. Returns false if the simulation stopped (finished or error).
    @discardableResult
    public func step() -> Bool {
        defer { settleSleepingCores() }
        return stepCycle()
    }

    /// ``step()`` without counting the sleeping cores' waits (``advance`` counts them when it returns).
    func stepCycle() -> Bool {
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
        // Host streams at the edges (memcpy's streaming mode), beside the sends.
        if fabric.hostEdges != nil { progress += fabric.pushHostStreams(now: now) }
        // Program cores.
        if !sleeping.isEmpty {
            guard stepAwakeCores(now: now, progress: &progress) else { return false }
        } else {
            for i in cores.indices where !cores[i].isFinished {
                if cores[i].step(now: now) { progress += 1 }
                if cores[i].isFinished { coresDone += 1 }
                if let e = cores[i].error { coreError = e; return false }
                if fabric.error != nil { return false }
                if cores[i].busyThisCycle { busyCycles[cores[i].pe, default: 0] += 1 }
            }
        }
        // Deliveries into core queues are progress; moves alone are not (counted once per cycle, outside
        // the router loop, from the counters it keeps anyway).
        let deliveredBefore = fabric.deliveredCount
        if routerWatches.isEmpty {
            fabric.step(now: now)
        } else {
            for w in routerWatches { w.before(fabric, now: now) }
            fabric.step(now: now)
            for w in routerWatches { w.after(fabric, now: now) }
        }
        progress &+= fabric.deliveredCount &- deliveredBefore
        if fabric.hostEdges != nil { progress += fabric.finishHostCycle() }
        // Playground sinks: each queue gives up one arrived wavelet per cycle (sink_rate).
        if isPlayground && model.sinkRate > 0 {
            progress += queueReaders.isEmpty ? fabric.drainOnePerQueue(now: now) : drainSinksBesideCores(now: now)
        }
        cycle += 1
        recordArrivals()
        unproductiveCycles = progress > 0 ? 0 : unproductiveCycles + 1
        quietCycles = progress > 0 || fabric.movedThisCycle > 0 ? 0 : quietCycles + 1
        return error == nil
    }
}
