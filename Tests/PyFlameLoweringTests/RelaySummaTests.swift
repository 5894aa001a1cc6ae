import Testing
import PyFlameIR
import PyFlameLowering
import PyFlameTestSupport

/// Matmul on grids of any size: beyond the grids where SUMMA multicasts each panel on a color of its own
/// (rows + columns within ``Lowering/matmulColorsPerPE``), it relays the panels hop by hop, so the colors
/// routed at every PE stay within that constant.
@Suite("SUMMA with relayed panels: colors per PE bounded for any grid")
struct RelaySummaTests {
    /// The most colors routed at one PE of the program.
    static func colorsPerPE(_ program: FabricProgram) -> (count: Int, pe: PECoord?) {
        var colors: [PECoord: Set<ColorID>] = [:]
        for route in program.routes { colors[route.pe, default: []].insert(route.color) }
        let worst = colors.max { $0.value.count < $1.value.count }
        return (worst?.value.count ?? 0, worst?.key)
    }

    /// True when `length` elements in blocks of ceil(length / parts) leave none of the parts empty.
    static func tiles(_ length: Int, _ parts: Int) -> Bool {
        (parts - 1) * ((length + parts - 1) / parts) < length
    }

    /// `m = p @ q` for p [M, K] and q [K, N] on Grid(rows, cols).
    static func source(rows: Int, cols: Int, m: Int, k: Int, n: Int, dtype: String = "f32") throws -> SourceProgram {
        try SourceProgram([
            "fabric \(max(cols, 2))x\(max(rows, 2))", "p = randn([\(m), \(k)], seed=3, dtype=\(dtype))",
            "q = randn([\(k), \(n)], seed=4, dtype=\(dtype))", "m = p @ q on Grid(\(rows), \(cols))",
        ])
    }

    /// Random grids from 1x1 to 40x40, square or not, with tiles that do not divide evenly: every one
    /// lowers on both chips (so its queues fit WSE-3 too) and routes at most the constant number of colors
    /// at any PE.
    @Test func randomGridsStayWithinTheColorsPerPE() throws {
        var random = SplitMix64(seed: 0x5_0AA)
        var grids: [(Int, Int)] = [(1, 1), (40, 40), (1, 40), (40, 1), (16, 16), (4, 5), (3, 5)]
        for _ in 0..<9 { grids.append((random.int(1...40), random.int(1...40))) }
        for (rows, cols) in grids {
            // Uneven where they can be: the last block of M, K or N may be short (but never empty).
            func length(_ parts: Int) -> Int {
                let block = random.int(1...2)
                return (parts - 1) * block + random.int(1...block)
            }
            let m = length(rows), n = length(cols)
            var k = max(rows, cols) + random.int(0...7)
            while !Self.tiles(k, rows) || !Self.tiles(k, cols) { k += 1 }
            let source = try Self.source(rows: rows, cols: cols, m: m, k: k, n: n)
            for architecture in [Architecture.wse2, .wse3] {
                let program = try lower(source, "m", architecture: architecture)
                let (count, pe) = Self.colorsPerPE(program)
                #expect(count <= Lowering.matmulColorsPerPE, "Grid(\(rows), \(cols)) [\(m),\(k)]@[\(k),\(n)]: \(count) colors at \(String(describing: pe))")
                #expect(program.pes.allSatisfy { $0.hasResources })
                if architecture == .wse3 { #expect(program.pes.allSatisfy { $0.queueBinding == .perColor }) }
            }
        }
    }

    /// Relayed grids keep every invariant of a lowered program and compute the right values (the
    /// checker's interpreter), f32 and f16, tiles even and uneven.
    @Test(arguments: [(3, 6, 20, 17, 23, "f32"), (6, 6, 12, 12, 12, "f16"), (9, 2, 17, 17, 5, "f32"), (2, 9, 4, 26, 17, "f16")])
    func relayedSummaIsSound(rows: Int, cols: Int, m: Int, k: Int, n: Int, dtype: String) throws {
        let source = try Self.source(rows: rows, cols: cols, m: m, k: k, n: n, dtype: dtype)
        let program = try lower(source, "m", architecture: .wse3)
        expectSound(program, source, architecture: .wse3)
        let matmul = try #require(program.ops.first { $0.pattern.title == "Matmul" })
        #expect(matmul.algorithm.contains("relayed panels"), "\(matmul.algorithm)")
        #expect(matmul.colors.count <= Lowering.matmulColorsPerPE, "\(matmul.colors)")
    }

    /// The lowest-free color choice gives each link direction two colors alternating by parity along every
    /// line, the same in every row (A east and west; B's columns may differ where an edge column leaves
    /// colors free), and 8 colors in all.
    @Test func eachLinkDirectionAlternatesTwoColors() throws {
        let source = try Self.source(rows: 6, cols: 6, m: 12, k: 12, n: 12)
        let program = try lower(source, "m", architecture: .wse3)
        #expect(program.colors.count == Lowering.matmulColorsPerPE)
        for direction in [Direction.east, .west, .south, .north] {
            var lines: Set<[ColorID]> = []
            for line in 0..<6 {
                let senders = (0..<6).map { i in direction == .east || direction == .west ? PECoord(i, line) : PECoord(line, i) }
                let hops = senders.compactMap { hopColor(program, at: $0, toward: direction) }
                #expect(hops.count == 5, "\(direction) line \(line): \(hops)")
                for i in 1..<hops.count { #expect(hops[i] != hops[i - 1], "\(direction) line \(line): \(hops)") }
                #expect(Set(hops).count == 2, "\(direction) line \(line): \(hops)")
                lines.insert(hops)
            }
            if direction == .east || direction == .west { #expect(lines.count == 1, "\(direction): the rows alternate differently: \(lines)") }
        }
    }

    /// Where rows + columns fit the constant, SUMMA keeps multicasting (one color per source row and column).
    @Test func smallGridsKeepTheMulticast() throws {
        let source = try Self.source(rows: 4, cols: 4, m: 8, k: 16, n: 8)
        let program = try lower(source, "m", architecture: .wse3)
        let matmul = try #require(program.ops.first { $0.pattern.title == "Matmul" })
        #expect(matmul.algorithm.contains("multicast"), "\(matmul.algorithm)")
        #expect(matmul.colors.count == 8)
    }
}
