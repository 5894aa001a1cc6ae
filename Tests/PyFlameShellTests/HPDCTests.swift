import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator
@testable import PyFlameShell
import Testing

/// The closed forms of Luczynski et al., "Near-Optimal Wafer-Scale Reduce" (HPDC'24), at hop latency 1 and
/// ramp latency T_R = 2 (the model HPDC'24 validated on the WSE: T = max(C, E/N + L) + (2·T_R + 1)·D).
/// Each test drives the shell (`set`, `route`/`send` or a tensor program, `:sim`, `:run`) and pins the
/// closed form plus the constant offset our model adds, for several B (wavelets) and P (PEs).
@Suite struct HPDCTests {
    static let tr = 2

    /// Teaching case 2 stretched to P PEs: (0,0) RAMP→EAST, (1..P−2, 0) WEST→{RAMP, EAST}, (P−1, 0) WEST→RAMP;
    /// (0,0) sends 0..B−1.
    static func broadcast(b: Int, p: Int, ramp: Int = tr) -> Shell {
        var statements = ["set hop_latency 1", "set ramp_latency \(ramp)", "color c = 0", "route c (0,0): RAMP -> EAST"]
        if p > 2 { statements.append("route c (1,0)..(\(p - 2),0): WEST -> RAMP, EAST") }
        statements += ["route c (\(p - 1),0): WEST -> RAMP", "send c (0,0) [" + (0..<b).map(String.init).joined(separator: ", ") + "]", ":sim"]
        return makeShell(statements)
    }

    /// Flooding broadcast: the last delivery is at B + P + 2·T_R − 2 (HPDC'24: B + P + 2·T_R).
    ///
    /// The offset −2 comes from two counting choices of our model, not from any cost:
    /// - playground sends have no start-up: wavelet i enters the ramp at cycle i (i = 0..B−1), so the last
    ///   one leaves the core at B − 1, not B (−1);
    /// - the last receiver is P − 1 hops from the sender, not P (−1).
    /// Wavelet i reaches PE p's input queue at i + T_R + p·h + T_R (one ramp up, p hops, one ramp down) and
    /// multicast copies cost nothing extra (the router copies in the cycle it forwards). `:run` reports the
    /// cycle after the last delivery (the playground core consumes it in the cycle it arrives), so
    /// `finished at cycle` = B + P + 2·T_R − 1.
    @Test(arguments: [(1, 2), (1, 5), (4, 3), (8, 4), (16, 6), (32, 8), (5, 12)])
    func floodingBroadcastCompletesAtBPlusPPlusTwoTR(b: Int, p: Int) throws {
        let shell = Self.broadcast(b: b, p: p)
        let run = shell.execute(":run")
        #expect(!run.failed, "\(run.text)")
        let sim = try #require(shell.loaded?.simulation)
        let hpdc = b + p + 2 * Self.tr
        let last = sim.deliveries.values.flatMap { $0 }.map(\.cycle).max()
        #expect(last == hpdc - 2)
        #expect(finishedCycle(run.text) == hpdc - 1)
        // Every receiver got every wavelet, in order; the farthest one last.
        for x in 1..<p { #expect(sim.deliveries[PECoord(x, 0)]?.map(\.payload) == (0..<UInt32(b)).map { $0 }) }
        #expect(sim.deliveries[PECoord(p - 1, 0)]?.last?.cycle == hpdc - 2)
    }

    /// The 2·T_R term is the ramp latency: each extra cycle of ramp latency delays the broadcast by exactly 2.
    @Test(arguments: [0, 1, 3, 5])
    func broadcastPaysTheRampTwice(ramp: Int) throws {
        let (b, p) = (10, 5)
        let shell = Self.broadcast(b: b, p: p, ramp: ramp)
        let run = shell.execute(":run")
        #expect(finishedCycle(run.text) == b + p + 2 * ramp - 1)
    }

    static func chainReduce(b: Int, p: Int, k: Int, settings: [String] = [], hop: Int = 1) -> (Shell, String) {
        let shell = makeShell(
            ["set hop_latency \(hop)", "set ramp_latency \(tr)"] + settings
                + ["x = randn([\(b), \(p * k)], seed=\(b * 31 + p))", "s = sum(x, dim=1) on ColPartition(\(p))", ":sim s"])
        return (shell, shell.execute(":run").text)
    }

    /// Chain reduce (teaching case 4, `sum(x, dim=1) on ColPartition(P)` with x of shape [B, P·k]): the program
    /// finishes at B + (2·T_R + 2)·(P − 1) + offset, offset = dsd_setup + B·k + send_startup − 1.
    ///
    /// The (2·T_R + 2) per hop is HPDC'24's (2·T_R + 1)·D + L with D = L = P − 1: every hop costs a ramp up,
    /// one link (h = 1), a ramp down and one cycle for the add of the forwarding core (its DSD op receives,
    /// adds its partial and sends; the sum leaves one cycle after the wavelet arrived). The offset:
    /// - dsd_setup + B·k: every PE first reduces its [B, k] tile to B partials (one compute step: DSD set-up plus
    ///   one f32 add per element) before the chain starts — the "compute of the local partial";
    /// - send_startup: the tail's async send starts send_startup cycles after its fabric step began;
    /// - −1 = −1 −1 +1: the tail's wavelets leave at start + 0 .. start + B − 1 (B − 1, not B); only the P − 2
    ///   middle cores forward (the head's add is part of its receive, which ends the program), so P − 2 add
    ///   cycles, not P − 1; and `finished at cycle` is the cycle after the one in which the head takes the last
    ///   wavelet.
    /// Exactly: finish = (dsd_setup + B·k) + send_startup + (B − 1) + (P − 1)·(2·T_R + h) + (P − 2) + 1.
    @Test(arguments: [(4, 2), (4, 6), (8, 3), (16, 4), (16, 8), (32, 5), (9, 12)])
    func chainReduceCompletesAtBPlusTwoTRPlusTwoPerHop(b: Int, p: Int) throws {
        let k = 2
        let (shell, text) = Self.chainReduce(b: b, p: p, k: k)
        #expect(text.contains("s: simulated result matches reference"), "\(text)")
        let model = FabricModel()
        let hpdc = b + (2 * Self.tr + 2) * (p - 1)
        let offset = model.dsdSetup + b * k + model.sendStartup - 1
        #expect(finishedCycle(text) == hpdc + offset)
        // The chain itself: from the first wavelet the tail sends to the last the head receives.
        let sim = try #require(shell.loaded?.simulation)
        let head = try #require(sim.deliveries[shell.loaded!.program!.pes.map(\.pe).min()!])
        let chainStart = model.dsdSetup + b * k + model.sendStartup  // the tail's first injection
        #expect(head.count == b)
        #expect(head.last!.cycle - chainStart == hpdc - 2)
    }

    /// The offset's parts are the named settings: zero DSD set-up and send start-up leave B·k − 1.
    @Test(arguments: [(8, 3), (16, 5)])
    func chainReduceOffsetIsTheLocalPartialAndTheStartUp(b: Int, p: Int) {
        let k = 3
        let (_, text) = Self.chainReduce(b: b, p: p, k: k, settings: ["set dsd_setup 0", "set send_startup 0"])
        #expect(finishedCycle(text) == b + (2 * Self.tr + 2) * (p - 1) + b * k - 1)
        let (_, slow) = Self.chainReduce(b: b, p: p, k: k, settings: ["set dsd_setup 40", "set send_startup 11"])
        #expect(finishedCycle(slow) == b + (2 * Self.tr + 2) * (p - 1) + 40 + b * k + 11 - 1)
    }

    /// Each PE added to the chain costs one hop of the chain: ramp up, h cycles of link, ramp down, and the
    /// forwarding core's add (1 cycle) — 2·T_R + h + 1, at any hop latency (6 at h = 1, HPDC'24's 2·T_R + 2).
    @Test(arguments: [1, 2, 3])
    func everyForwardingPEAddsTwoRampsAHopAndAnAdd(hop: Int) throws {
        let finishes = try (3...6).map { p in try #require(finishedCycle(Self.chainReduce(b: 8, p: p, k: 2, hop: hop).1)) }
        for (a, b) in zip(finishes, finishes.dropFirst()) { #expect(b - a == 2 * Self.tr + hop + 1) }
    }
}
