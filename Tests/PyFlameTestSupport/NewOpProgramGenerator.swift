import PyFlameIR

/// Random programs of the new ops (cast, slices, shift, concat, matrix-vector `@` on grids) for the
/// property tests of simulation and emission: small 1-D and 2-D shapes, f32/f16/i32, random layouts with
/// uneven tiles, host operands and values computed on another layout first. Each program ends by defining `r`.
public enum NewOpProgramGenerator {
    static let layouts1D = ["SinglePE", "RowPartition(2)", "RowPartition(3)", "ColPartition(2)", "ColPartition(4)"]
    static let layouts2D = layouts1D + ["Grid(2, 2)", "Grid(2, 3)", "Grid(3, 2)", "Grid(1, 3)"]

    public struct Generated {
        public var statements: [String]
        /// False for matvec: compared within the tolerance rather than bit for bit.
        public var exact: Bool
    }

    public static func program(_ seed: UInt64) -> Generated {
        var rng = SplitMix64(seed: seed)
        let twoD = rng.chance(0.6)
        let dims = twoD ? [rng.int(3...9), rng.int(3...9)] : [rng.int(4...20)]
        let text = dims.count == 1 ? "\(dims[0])" : "[\(dims[0]), \(dims[1])]"
        let dtype = rng.pick(["f32", "f32", "f16", "i32"])
        var statements = ["fabric 8x8"]
        if dtype == "i32" {
            statements.append("x0 = cast(randn(\(text), seed=\(seed % 1000)) * 10, i32)")
        } else {
            statements.append("x0 = randn(\(text), seed=\(seed % 1000)\(dtype == "f32" ? "" : ", dtype=\(dtype)"))")
        }
        // Half the time the operand is computed on the fabric first, in some layout.
        var x = "x0"
        let layouts = twoD ? layouts2D : layouts1D
        if rng.chance(0.5) {
            statements.append("x = x0 * 2 on \(rng.pick(layouts))")
            x = "x"
        }
        let on = rng.chance(0.15) ? "" : " on \(rng.pick(layouts))"
        func bound(_ n: Int) -> String {
            switch rng.int(0...3) {
            case 0: return ""
            case 1: return String(rng.int(0...(n - 1)))
            default: return String(-rng.int(1...n))
            }
        }
        var exact = true
        switch rng.int(0...4) {
        case 0:
            let items = dims.map { n -> String in
                if rng.chance(0.2) { return String(rng.int(0...(n - 1))) }
                return "\(bound(n)):\(bound(n))"
            }
            statements.append("r = \(x)[\(items.prefix(rng.int(1...dims.count)).joined(separator: ", "))]\(on)")
        case 1:
            let d = rng.int(0...(dims.count - 1))
            let k = rng.int(-(dims[d] + 1)...(dims[d] + 1))
            statements.append("r = shift(\(x), \(k), dim=\(rng.chance(0.5) ? String(d) : String(d - dims.count)))\(on)")
        case 2:
            let d = rng.int(0...(dims.count - 1))
            var other = dims
            other[d] = rng.int(1...5)
            let otherText = other.count == 1 ? "\(other[0])" : "[\(other[0]), \(other[1])]"
            statements.append(
                dtype == "i32"
                    ? "y = cast(randn(\(otherText), seed=\(seed % 997)) * 10, i32)"
                    : "y = randn(\(otherText), seed=\(seed % 997)\(dtype == "f32" ? "" : ", dtype=\(dtype)"))")
            let parts = rng.chance(0.3) ? "\(x), y, \(x)" : rng.chance(0.5) ? "\(x), y" : "y, \(x)"
            statements.append("r = concat([\(parts)], dim=\(d))\(on)")
        case 3:
            let to = rng.pick(["f32", "f16", "i32", "i16"])
            statements.append(rng.chance(0.5) ? "r = cast(\(x), \(to))\(on)" : "r = \(x).astype(\(to))\(on)")
        default:
            let m = dims[0], k = dims.count == 2 ? dims[1] : rng.int(2...8)
            if dims.count == 1 { statements.append("r0 = randn([\(k), \(m)], seed=\(seed % 991))") }
            let a = dims.count == 2 ? x : "r0"
            let v = dims.count == 2 ? "v" : x
            if dims.count == 2 {
                statements.append(
                    dtype == "i32" ? "v = cast(randn(\(k), seed=3) * 10, i32)" : "v = randn(\(k), seed=3\(dtype == "f32" ? "" : ", dtype=\(dtype)"))")
            } else if dtype != "f32" {
                statements[statements.count - 1] = "r0 = cast(randn([\(k), \(m)], seed=\(seed % 991)), \(dtype))"
            }
            let grid = rng.pick(["Grid(2, 2)", "Grid(2, 3)", "Grid(3, 2)", "Grid(1, 2)", "Grid(2, 1)"])
            statements.append("r = \(a) @ \(v) on \(grid)")
            exact = dtype == "i32"
        }
        return Generated(statements: statements, exact: exact)
    }

}
