import Testing
import PyFlameIR
import PyFlameLowering
import PyFlameTestSupport

/// Random re-layouts (a value moved to another layout for an elementwise op, a transpose onto another layout,
/// an explicit `y = x on LAYOUT`) between random layouts of up to 64 PEs, on fabrics of random sizes (so the
/// blocks land at different places), for WSE-2 or WSE-3: every one that the front end accepts lowers (none is
/// refused for colors or queues),
/// uses at most a constant number of colors at any PE, keeps the program invariants and computes the
/// reference values.
@Suite("Re-layouts over random layouts")
struct RelayoutPropertyTests {
    /// At most this many colors routed at one PE by one movement, whatever its size.
    static let colorsPerPE = 8

    /// A layout of at most 64 PEs that gives every PE of a `rows` x `cols` tensor a non-empty tile.
    static func layout(_ pick: inout SplitMix64, rows: Int, cols: Int) -> String {
        func divisors(_ n: Int) -> [Int] { (1...min(n, 64)).filter { n % $0 == 0 } }
        switch pick.int(0...3) {
        case 0: return "RowPartition(\(pick.pick(divisors(rows))))"
        case 1: return "ColPartition(\(pick.pick(divisors(cols))))"
        case 2:
            let r = pick.pick(divisors(rows).filter { $0 <= 16 })
            return "Grid(\(r), \(pick.pick(divisors(cols).filter { r * $0 <= 64 })))"
        default: return "SinglePE"
        }
    }

    @Test func randomRelayoutsUseFewColorsAndComputeTheReference() throws {
        var pick = SplitMix64(seed: 0x4E1A_0001)
        var lowered = 0, moved = 0, mostColors = 0
        var failures: [String] = []
        for _ in 0..<120 {
            let sizes = [4, 8, 12, 16, 24, 32, 48, 64]
            let (h, w) = (pick.pick(sizes), pick.pick(sizes))
            let from = Self.layout(&pick, rows: h, cols: w)
            let fabric = "fabric \(pick.int(66...96))x\(pick.int(66...80))"
            let last: String
            switch pick.int(0...2) {
            case 0: last = "y = r + 1 on \(Self.layout(&pick, rows: h, cols: w))"
            case 1: last = "y = transpose(r) on \(Self.layout(&pick, rows: w, cols: h))"
            default: last = "y = r on \(Self.layout(&pick, rows: h, cols: w))"
            }
            let statements = [fabric, "x = randn([\(h), \(w)], seed=\(pick.int(1...99)))", "r = x * 2 on \(from)", last]
            let source: SourceProgram
            do { source = try SourceProgram(statements) } catch {
                failures.append("\(statements.joined(separator: "; ")): the front end refused: \(error)")
                continue
            }
            // Both targets: a relay PE receives on up to 4 colors and sends on up to 4, which WSE-3's
            // separate input and output queue IDs hold.
            let architecture: Architecture = pick.chance(0.5) ? .wse2 : .wse3
            let script = statements.joined(separator: "; ") + " (\(architecture))"
            let program: FabricProgram
            do {
                program = try lower(source, "y", architecture: architecture)
            } catch let error as LoweringError {
                if case .peData = error.kind { continue }
                failures.append("\(script): refused: \(error.message)")
                continue
            }
            lowered += 1
            if !program.routes.isEmpty { moved += 1 }
            let colors = Dictionary(grouping: program.routes, by: \.pe).values.map { Set($0.map(\.color)).count }.max() ?? 0
            mostColors = max(mostColors, colors)
            if colors > Self.colorsPerPE { failures.append("\(script): \(colors) colors at one PE") }
            var violations = ProgramChecker.violations(program, graph: source.graph, options: options(source, architecture))
            if violations.isEmpty { violations += FabricInterpreter.valueViolations(program, graph: source.graph) }
            if !violations.isEmpty { failures.append("\(script):\n  " + violations.prefix(4).joined(separator: "\n  ")) }
        }
        print("re-layout property test: \(lowered) lowered, \(moved) through the router, at most \(mostColors) colors at one PE")
        #expect(lowered >= 100, "only \(lowered) re-layouts lowered")
        #expect(moved >= 60, "only \(moved) re-layouts moved anything")
        #expect(failures.isEmpty, "\(failures.count) failures; first:\n\(failures.prefix(3).joined(separator: "\n"))")
    }
}
