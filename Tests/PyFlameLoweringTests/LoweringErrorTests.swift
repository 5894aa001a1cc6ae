import PyFlameIR
import PyFlameLowering
import Testing

/// Every kind of lowering refusal renders the message users read (the transcripts' wording, written out
/// here): the text is made in one place, from the kind's values.
@Suite struct LoweringErrorTests {
    static let cases: [(LoweringError.Kind, String)] = [
        (.interrupted, "interrupted: the lowering was stopped before it finished"),
        (.unknownNode(7), "no node %7"),
        (.hostTensor(op: "%0 (a) arange"), "%0 (a) arange is a host tensor: there is nothing to run on the fabric (lower an op that reads it)"),
        (.noLowering(op: "%3 load"), "%3 load has no lowering"),
        (
            .matmulLayout(op: "%2 (m) matmul", layout: .rowPartition(4)),
            "%2 (m) matmul on RowPartition(4) has no lowering: matmul runs on SinglePE or Grid(r, c)"
        ),
        (
            .matmulColors(op: "%2 (m) matmul", layout: .grid(rows: 11, cols: 12), rows: 11, cols: 12),
            "%2 (m) matmul on Grid(11, 12) needs 23 colors (12 to multicast A along rows, 11 to multicast B down columns); the budget is 21 (0–20; memcpy reserves 21–23)"
        ),
        (
            .colorBudget(op: "%4 (s) sum", pe: PECoord(2, 3), routed: 21, carries: "partials of %4 (s) sum"),
            "%4 (s) sum needs more colors than the budget of 21 (0–20; memcpy reserves 21–23): no color is free on every PE of the route that carries partials of %4 (s) sum (PE (2,3) already routes all 21)"
        ),
        (
            // A route whose busiest PE has a color left, which other PEs on the route take (it read "routes 20 … needs one more").
            .colorBudget(op: "%4 (s) sum", pe: PECoord(2, 3), routed: 20, carries: "partials of %4 (s) sum"),
            "%4 (s) sum needs more colors than the budget of 21 (0–20; memcpy reserves 21–23): no color is free on every PE of the route that carries partials of %4 (s) sum (PE (2,3) routes 20 of them, other PEs on the route the rest)"
        ),
        (.fabricTooSmall(width: 8, height: 4, fabric: FabricSize(width: 4, height: 4)), "the program needs a fabric of at least 8x4 PEs; fabric is 4x4"),
        (.peData(pe: PECoord(1, 0), bytes: 40000, budget: 36864, largest: nil), "PE (1,0) needs 40000 B of data, budget 36864 B"),
        (
            .peData(pe: PECoord(1, 0), bytes: 40000, budget: 36864, largest: .init(name: "in_x", bytes: 32768, owner: "%1 (y) exp")),
            "PE (1,0) needs 40000 B of data, budget 36864 B (largest buffer in_x, 32768 B, for %1 (y) exp)"
        ),
        (
            .noTaskID(pe: PECoord(0, 5)),
            "PE (0,5) has no free local task ID: 8–20 and 24–26 are all taken by colors it routes (memcpy reserves 21–23)"
        ),
        (
            .taskIDs(pe: PECoord(0, 0), needed: 4, free: 3),
            "PE (0,0) needs 4 local task IDs; only 3 of 8–20 and 24–26 are free beside the colors it routes (memcpy reserves 21–23)"
        ),
        (
            .queueColors(pe: PECoord(1, 2), colors: 7, queues: 6),
            "PE (1,2) sends or receives on 7 colors; WSE-3 binds each queue to one color for the whole program, and queues 2–7 allow 6 (WSE-2 can rebind them per step)"
        ),
        (.queuesPerStep(pe: PECoord(1, 1), operations: 7, queues: 6), "PE (1,1) runs 7 fabric operations in one step; queues 2–7 allow 6"),
        (.tiling(op: "%5 (t) add", reason: "too many PEs"), "%5 (t) add: too many PEs"),
        (
            .playgroundSends(pe: PECoord(0, 0), count: 2, color: "red"),
            "(0,0) has 2 sends on color red: one emitted send program streams one buffer per color, so several sends on one color and PE are not emitted; write them as one send"
        ),
        (
            .playgroundSendAndReceive(pe: PECoord(1, 0), color: "red", received: 1),
            "(1,0) sends on color red and also receives it (1 wavelet): a PE program sends all before it receives on one color, and stalls once more come back than its queues hold, while the simulated core takes them as they come; use another color for the way back"
        ),
        (.notLowered(op: "%1 (c) add"), "%1 (c) add was not lowered"),
        (.readBeforeLowered(op: "%1 (c) add", reader: "%2 (d) mul"), "%1 (c) add has not been lowered before %2 (d) mul reads it"),
        (.broadcastBeforeLowered(op: "%1 (c) add", reader: "%2 (d) mul"), "%1 (c) add has not been lowered before %2 (d) mul"),
        (.noBuffers(op: "%1 (c) add", reader: "%2 (d) mul"), "%1 (c) add has no buffers for %2 (d) mul"),
    ]

    @Test(arguments: cases.indices)
    func eachKindRendersItsMessage(_ index: Int) {
        let (kind, message) = Self.cases[index]
        let error = LoweringError(kind)
        #expect(error.message == message)
        #expect(error.description == message)
    }

    @Test func interruptedIsItsKind() {
        #expect(LoweringError.interrupted.kind == .interrupted)
        #expect(LoweringError.interrupted == LoweringError(.interrupted))
    }
}
