import PyFlameIR
import PyFlameLowering

extension Fabric {
    /// Binds core queue `q` to input queue `id`: from now on it holds what that queue holds (ramp latency
    /// plus the queue's depth). Wavelets already in it stay; while there are more than the new depth
    /// allows, nothing more is accepted.
    func bindCoreQueue(_ q: Int, to id: Int) {
        guard coreQueueID[q] != id, model.queueDepths.indices.contains(id) else { return }
        coreQueueID[q] = id
        coreQueues.pointer[q].capacity = UInt8(clamping: model.rampLatency + model.queueDepths[id])
    }

    /// For every (PE index, color) a program receives on, the input queue ID its first receive binds, and
    /// every queue ID any receive names (what ``init(width:height:routes:model:coreQueueIDs:)`` takes): one
    /// dictionary entry per receiving (PE, color), no array per entry (a whole wafer has a million).
    static func coreQueueIDs(of program: FabricProgram) -> CoreQueueBindings {
        var bindings = CoreQueueBindings()
        let width = program.fabric.width
        for p in program.pes {
            for (s, step) in p.steps.enumerated() {
                guard case .fabric(let ops) = step, s < p.queues.count else { continue }
                for (j, op) in ops.enumerated() where j < p.queues[s].count {
                    let color: ColorID
                    switch op {
                    case .send: continue
                    case .receive(_, let c, _), .forward(_, let c, _, _): color = c
                    }
                    guard let id = p.queues[s][j].input else { continue }
                    let key = Fabric.key(p.pe.y * width + p.pe.x, color)
                    if bindings.first[key] == nil { bindings.first[key] = id }
                    bindings.used.insert(id)
                }
            }
        }
        return bindings
    }
}

/// The input queues a program binds its core queues to: the first per (PE index, color), and every ID
/// used (a step may rebind a queue; the fabric sizes its queue storage for the deepest).
public struct CoreQueueBindings: Sendable {
    public var first: [Int: Int] = [:]
    public var used: Set<Int> = []

    public init() {}
}
