import PyFlameIR
import PyFlameLowering

/// The routing playground's reacting cores (`on (x,y) receive ...`, `forward`, `chain`): the PE steps the
/// playground's program gives them, run on the same core model as a lowered program's (`CoreState`:
/// start-up, per-element costs, queues). The playground's plain sends stay sends from cycle 0; a core reads
/// its own queues, which the playground's sinks leave alone until the core has finished.
extension Simulation {
    /// The cores of a playground program: every PE with steps besides its plain sends (whose buffers a
    /// `sent_` host input fills), with those sends taken out and its own values loaded.
    static func reactingCores(
        of program: FabricProgram, inputs: [TransferSource: TensorValue], fabric: Fabric, model: FabricModel, recordResources: Bool
    ) throws(SimulationError) -> [CoreState] {
        var plainSends: Set<PECoord> = []
        var sendBuffers: [PECoord: Set<Int>] = [:]
        for transfer in program.hostInputs {
            guard case .playgroundSends = transfer.source else { continue }
            for piece in transfer.pieces {
                plainSends.insert(piece.pe)
                sendBuffers[piece.pe, default: []].insert(piece.buffer)
            }
        }
        var cores: [PECoord: CoreState] = [:]
        for p in program.pes {
            let skip = sendBuffers[p.pe] ?? []
            var reacting = p
            reacting.steps = []
            reacting.stepNodes = []
            reacting.queues = []
            for (s, step) in p.steps.enumerated() {
                guard case .fabric(let ops) = step else { continue }
                var kept: [FabricOperation] = []
                var queues: [OperationQueues] = []
                for (j, op) in ops.enumerated() {
                    if case .send(let a, _) = op, skip.contains(a.buffer) { continue }
                    kept.append(op)
                    if s < p.queues.count, j < p.queues[s].count { queues.append(p.queues[s][j]) }
                }
                guard !kept.isEmpty else { continue }
                reacting.steps.append(.fabric(kept))
                reacting.stepNodes.append(nil)
                reacting.queues.append(queues)
            }
            guard !reacting.steps.isEmpty else { continue }
            var core = CoreState(program: reacting, fabric: fabric, model: model)
            core.recordsResources = recordResources
            // A core that sends control wavelets among its own values: their command words by buffer.
            for case .fabric(let ops) in reacting.steps {
                for case .send(let a, let color) in ops {
                    if let words = program.playgroundCoreCommandWords[RouteKey(p.pe, color)] { core.commandWords[a.buffer] = words }
                }
            }
            cores[p.pe] = core
        }
        for transfer in program.hostInputs {
            guard case .playgroundValues = transfer.source else { continue }
            guard let value = inputs[transfer.source] else { throw SimulationError(.missingHostInput(name: transfer.name), cycle: 0) }
            for piece in transfer.pieces where cores[piece.pe] != nil {
                cores[piece.pe]!.load(buffer: piece.buffer, from: value, tile: piece.tile)
            }
        }
        return cores.keys.sorted().map { cores[$0]! }
    }

    /// For each core queue, the index of the reacting core that reads it (-1: a playground sink drains it).
    static func queueReaders(_ cores: [CoreState], fabric: Fabric) -> [Int32] {
        var readers = [Int32](repeating: -1, count: fabric.coreQueueCount)
        for (i, core) in cores.enumerated() {
            let pe = core.pe.y * fabric.width + core.pe.x
            for case .fabric(let ops) in core.program.steps {
                for op in ops {
                    let color: ColorID
                    switch op {
                    case .send: continue
                    case .receive(_, let c, _), .forward(_, let c, _, _): color = c
                    }
                    if let q = fabric.coreQueueIndex[Fabric.key(pe, color)] { readers[Int(q)] = Int32(i) }
                }
            }
        }
        return readers
    }

    /// Playground sinks beside reacting cores: every queue no unfinished core reads gives up one arrived
    /// wavelet. Returns how many.
    func drainSinksBesideCores(now: Int) -> Int {
        var taken = 0
        for q in 0..<fabric.coreQueueCount {
            let reader = Int(queueReaders[q])
            if reader >= 0 && !cores[reader].isFinished { continue }
            if fabric.peekCore(q, now: now) != nil {
                fabric.popCore(q, now: now)
                taken += 1
            }
        }
        return taken
    }
}
