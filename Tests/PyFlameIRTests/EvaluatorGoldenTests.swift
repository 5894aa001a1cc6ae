import Foundation
import PyFlameIR
import Testing

// The reference evaluator against NumPy: Golden/evaluator.json, dtype-round.json and randn.json, written by
// scripts/make-golden-vectors.py (see its header for how each expected value is computed).
//
// How a case is compared (its "check"):
//   exact  bit for bit (so -0 is not +0), any NaN matching any NaN: elementwise + - * /, relu/neg/abs,
//          data movement, constructors, and reductions/matmul against a sequential f32 reimplementation;
//   ulp1   at most 1 ulp of the dtype from NumPy's float64 function rounded to the dtype (libm differences):
//          exp, tanh, sigmoid, gelu, silu, sqrt.
// Reductions and matmul also carry NumPy's own float64 np.sum/np.mean/np.max/np.min/np.matmul (rounded to the
// dtype) and are checked against it within docs/language.md's tolerance n·ε·Σ|terms|.

// MARK: - File format

struct GoldenOp: Decodable, Sendable {
    var kind: String
    var function: String?
    var scalar: String?
    var scalarIsLeft: Bool?
    var dim: Int?
    var keepdim: Bool?
    var d0: Int?
    var d1: Int?
    var shape: [Int]?
    var start: String?
    var stop: String?
    var step: String?
    var value: String?
    var seed: String?
    /// cast: the result dtype; slice: the resolved bounds and the dims written as one index; shift: by how much.
    var to: String?
    var starts: [Int]?
    var stops: [Int]?
    var drop: [Int]?
    var by: Int?

    /// The dtype of the op's result for a case whose inputs are `dtype` (a cast's is its target).
    func resultDType(_ dtype: DType) throws -> DType {
        guard kind == "cast" else { return dtype }
        guard let to, let target = DType(rawValue: to) else { throw GoldenFormatError("cast needs a known dtype 'to'") }
        return target
    }

    func op() throws -> Op {
        func need<T>(_ x: T?, _ what: String) throws -> T {
            guard let x else { throw GoldenFormatError("\(kind) needs \(what)") }
            return x
        }
        switch kind {
        case "unary":
            return .unary(try need(UnaryFunction(rawValue: try need(function, "function")), "a known function"))
        case "binary":
            let f = try need(BinaryFunction(rawValue: try need(function, "function")), "a known function")
            let s = try scalar.map { ScalarOperand(try Golden.double($0), isLeft: try need(scalarIsLeft, "scalarIsLeft")) }
            return .binary(f, scalar: s)
        case "reduce":
            let f = try need(ReduceFunction(rawValue: try need(function, "function")), "a known function")
            return .reduce(f, dim: dim, keepdim: try need(keepdim, "keepdim"))
        case "matmul": return .matmul
        case "transpose": return .transpose(try need(d0, "d0"), try need(d1, "d1"))
        case "reshape": return .reshape(Shape(try need(shape, "shape")))
        case "arange":
            return .arange(
                start: try Golden.double(try need(start, "start")), stop: try Golden.double(try need(stop, "stop")),
                step: try Golden.double(try need(step, "step")))
        case "full": return .full(try Golden.double(try need(value, "value")))
        case "ones": return .ones
        case "zeros": return .zeros
        case "randn": return .randn(seed: try need(UInt64(try need(seed, "seed")), "a UInt64 seed"))
        case "cast": return .cast(try need(DType(rawValue: try need(to, "to")), "a known dtype"))
        case "slice":
            let lo = try need(starts, "starts"), hi = try need(stops, "stops")
            guard lo.count == hi.count, zip(lo, hi).allSatisfy({ $0 <= $1 }) else { throw GoldenFormatError("slice bounds") }
            return .slice(zip(lo, hi).map { $0..<$1 }, drop: drop ?? [])
        case "concat": return .concat(dim: try need(dim, "dim"))
        case "shift": return .shift(try need(by, "by"), dim: try need(dim, "dim"))
        default: throw GoldenFormatError("unknown op kind \(kind)")
        }
    }
}

struct GoldenNumPyReference: Decodable, Sendable {
    /// NumPy's float64 result, rounded to the dtype.
    var data: [String]
    /// Σ|terms| of each output element (0 for max/min and integers: exact).
    var absSum: [String]
    /// n, the number of terms of each output element.
    var terms: Int
}

struct GoldenError: Decodable, Sendable {
    /// "type": TypeInference refuses; "evaluate": the type is fine and the Evaluator refuses.
    var stage: String
    var contains: String
}

struct GoldenCase: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var op: GoldenOp
    var dtype: String
    var inputs: [GoldenTensor]
    var expected: GoldenTensor?
    var check: String?
    var numpy: GoldenNumPyReference?
    var error: GoldenError?

    var testDescription: String { name }

    struct File: Decodable { var numpy: String; var cases: [GoldenCase] }

    static func all() throws -> [GoldenCase] { try Golden.decode(File.self, from: "evaluator.json").cases }
}

// MARK: - Comparisons

enum GoldenCompare {
    /// The position of `x` among the values of a float dtype, so that neighbours differ by 1 (±0 are both 0).
    static func ordinal(_ x: Double, _ dtype: DType) -> Int64 {
        let sign: Bool, magnitude: Int64
        switch dtype {
        case .f32:
            let b = Float(x).bitPattern
            (sign, magnitude) = (b >> 31 == 1, Int64(b & 0x7FFF_FFFF))
        case .f16:
            let b = Float16(Float(x)).bitPattern
            (sign, magnitude) = (b >> 15 == 1, Int64(b & 0x7FFF))
        case .bf16:
            let b = Float(x).bitPattern >> 16
            (sign, magnitude) = (b >> 15 == 1, Int64(b & 0x7FFF))
        case .i32, .i16:
            return Int64(x)
        }
        return sign ? -magnitude : magnitude
    }

    /// Distance in units in the last place of the dtype (NaN only matches NaN).
    static func ulps(_ a: Double, _ b: Double, _ dtype: DType) -> Int64 {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : .max }
        let d = ordinal(a, dtype) - ordinal(b, dtype)
        return d < 0 ? -d : d
    }

    /// Describes the first few failing elements, or nil when every element passes.
    static func mismatches(_ count: Int, _ ok: (Int) -> Bool, _ describe: (Int) -> String) -> String? {
        let bad = (0..<count).filter { !ok($0) }
        guard !bad.isEmpty else { return nil }
        return "\(bad.count) of \(count) elements differ: " + bad.prefix(4).map(describe).joined(separator: "; ")
    }
}

// MARK: - Tests

@Suite struct EvaluatorGoldenTests {
    @Test("evaluator matches the NumPy golden vectors", arguments: try GoldenCase.all())
    func goldenCase(_ c: GoldenCase) throws {
        let inputDType = try #require(DType(rawValue: c.dtype))
        // The result's dtype: the inputs' except for a cast.
        let dtype = try c.op.resultDType(inputDType)
        let op = try c.op.op()
        let inputs = try c.inputs.map { try $0.value(inputDType) }
        for input in inputs {
            // The golden inputs honour TensorValue's contract: every element exact in the dtype.
            #expect(input.elements.allSatisfy { Golden.sameBits($0, inputDType.round($0)) }, "input not exact in \(inputDType)")
        }

        if let error = c.error {
            try expectError(error, op: op, inputs: inputs)
            return
        }
        let expected = try #require(c.expected)
        let expectedValues = try expected.values()
        let type =
            op.isConstructor
            ? TensorType(Shape(expected.shape), dtype)
            : try TypeInference.resultType(of: op, inputs: inputs.map(\.type))
        #expect(type == TensorType(Shape(expected.shape), dtype))
        let result = try Evaluator().evaluate(op, inputs: inputs, type: type)
        #expect(result.type == type)
        try #require(result.elements.count == expectedValues.count)
        let got = result.elements

        // Whatever the op, the result is exact in its dtype.
        let inexact = GoldenCompare.mismatches(got.count, { Golden.sameBits(got[$0], dtype.round(got[$0])) }) {
            "[\($0)] \(Golden.show(got[$0])) is not a \(dtype)"
        }
        #expect(inexact == nil, "\(inexact ?? "")")

        switch c.check {
        case "exact":
            let bad = GoldenCompare.mismatches(got.count, { Golden.sameBits(got[$0], expectedValues[$0]) }) {
                "[\($0)] got \(Golden.show(got[$0])), expected \(Golden.show(expectedValues[$0]))"
            }
            #expect(bad == nil, "\(bad ?? "")")
        case "ulp1":
            let bad = GoldenCompare.mismatches(got.count, { GoldenCompare.ulps(got[$0], expectedValues[$0], dtype) <= 1 }) {
                "[\($0)] got \(Golden.show(got[$0])), NumPy \(Golden.show(expectedValues[$0])): "
                    + "\(GoldenCompare.ulps(got[$0], expectedValues[$0], dtype)) ulps of \(dtype)"
            }
            #expect(bad == nil, "\(bad ?? "")")
        default:
            Issue.record("unknown check \(c.check ?? "nil")")
        }

        if let numpy = c.numpy {
            let reference = try Golden.doubles(numpy.data), absSum = try Golden.doubles(numpy.absSum)
            try #require(reference.count == got.count && absSum.count == got.count)
            // docs/language.md: |result - reference| <= n·ε·Σ|terms|; non-finite values must agree exactly.
            func within(_ i: Int) -> Bool {
                let r = got[i], ref = reference[i]
                if !r.isFinite || !ref.isFinite { return (r.isNaN && ref.isNaN) || r == ref }
                return Swift.abs(r - ref) <= Double(numpy.terms) * dtype.epsilon * absSum[i]
            }
            let bad = GoldenCompare.mismatches(got.count, within) {
                "[\($0)] got \(Golden.show(got[$0])), NumPy float64 \(Golden.show(reference[$0])), "
                    + "bound \(Double(numpy.terms) * dtype.epsilon * absSum[$0])"
            }
            #expect(bad == nil, "outside n·ε·Σ|terms| of NumPy: \(bad ?? "")")
        }
    }

    private func expectError(_ error: GoldenError, op: Op, inputs: [TensorValue]) throws {
        switch error.stage {
        case "type":
            let thrown = #expect(throws: IRError.self) {
                _ = try TypeInference.resultType(of: op, inputs: inputs.map(\.type))
            }
            #expect(thrown?.message.contains(error.contains) == true, "\(thrown?.message ?? "no error")")
        case "evaluate":
            let type = try TypeInference.resultType(of: op, inputs: inputs.map(\.type))
            let thrown = #expect(throws: IRError.self) {
                _ = try Evaluator().evaluate(op, inputs: inputs, type: type)
            }
            #expect(thrown?.message.contains(error.contains) == true, "\(thrown?.message ?? "no error")")
        default:
            Issue.record("unknown error stage \(error.stage)")
        }
    }

    /// The golden file exercises every op on every dtype it applies to, so a shrinking generator is noticed.
    @Test func goldenFileCoversEveryOpAndDType() throws {
        let cases = try GoldenCase.all()
        var seen = Set<String>()
        for c in cases where c.error == nil {
            seen.insert("\(c.op.kind) \(c.op.function ?? "") \(c.dtype)")
            if c.op.kind == "binary" && c.op.scalar != nil { seen.insert("scalar \(c.dtype)") }
        }
        var missing: [String] = []
        for dtype in DType.allCases {
            let name = dtype.rawValue
            for f in UnaryFunction.allCases where dtype.isFloat || !f.isFloatOnly {
                if !seen.contains("unary \(f.rawValue) \(name)") { missing.append("\(f.rawValue) \(name)") }
            }
            for f in BinaryFunction.allCases where !seen.contains("binary \(f.rawValue) \(name)") { missing.append("\(f.rawValue) \(name)") }
            for f in ReduceFunction.allCases where dtype.isFloat || f != .mean {
                if !seen.contains("reduce \(f.rawValue) \(name)") { missing.append("\(f.rawValue) \(name)") }
            }
            for kind in ["matmul", "transpose", "full", "ones", "zeros", "arange", "scalar", "slice", "concat", "shift", "cast"] {
                if !seen.contains(where: { $0.hasPrefix(kind + " ") && $0.hasSuffix(" " + name) }) { missing.append("\(kind) \(name)") }
            }
        }
        // A cast between every pair of dtypes.
        for from in DType.allCases {
            for to in DType.allCases where to != from {
                if !cases.contains(where: { $0.error == nil && $0.op.kind == "cast" && $0.dtype == from.rawValue && $0.op.to == to.rawValue }) {
                    missing.append("cast \(from) to \(to)")
                }
            }
        }
        #expect(missing.isEmpty, "golden cases missing for: \(missing)")
        #expect(cases.contains { $0.error?.contains == "division by zero" })
        #expect(cases.filter { $0.op.kind == "randn" }.count >= 3)
    }

    // MARK: DType.round

    struct RoundFile: Decodable { var cases: [String: [[String]]] }

    @Test("DType.round matches the NumPy rounding", arguments: DType.allCases)
    func roundingToDType(_ dtype: DType) throws {
        let pairs = try #require(try Golden.decode(RoundFile.self, from: "dtype-round.json").cases[dtype.rawValue])
        #expect(pairs.count >= 20)
        for pair in pairs {
            try #require(pair.count == 2)
            let x = try Golden.double(pair[0]), want = try Golden.double(pair[1])
            let got = dtype.round(x)
            #expect(Golden.sameBits(got, want), "\(dtype).round(\(Golden.show(x))) = \(Golden.show(got)), NumPy \(Golden.show(want))")
            let value = TensorValue(TensorType([1], dtype), rounding: [x])
            #expect(Golden.sameBits(value.elements[0], want))
        }
    }

    @Test func f16RoundsThroughF32() {
        // 1 + 2^-11 + 2^-40 is above the f16 tie, but f32 drops 2^-40 first and the tie goes to even.
        #expect(DType.f16.round(1 + 0x1p-11 + 0x1p-40) == 1)
        #expect(DType.f16.round(1 + 0x1p-11 + 0x1p-20) == 1 + 0x1p-10)
        #expect(DType.f16.round(65520) == .infinity)
        #expect(DType.bf16.round(257) == 256 && DType.bf16.round(259) == 260)
        #expect(DType.i32.round(-2.9) == -2 && DType.i16.round(32768) == -32768)
        #expect(DType.i32.round(.nan) == 0)
    }

    // MARK: randn

    struct RandnFile: Decodable {
        struct Seed: Decodable { var seed: String; var bits: [String]; var normals: [String] }
        var seeds: [Seed]
    }

    @Test func normalGeneratorMatchesThePythonReimplementation() throws {
        let file = try Golden.decode(RandnFile.self, from: "randn.json")
        #expect(file.seeds.count >= 3)
        for entry in file.seeds {
            let seed = try #require(UInt64(entry.seed))
            var bitsGenerator = NormalGenerator(seed: seed)
            for hex in entry.bits {
                let want = try #require(UInt64(hex, radix: 16))
                #expect(bitsGenerator.nextBits() == want, "seed \(seed)")
            }
            var generator = NormalGenerator(seed: seed)
            for (i, hex) in entry.normals.enumerated() {
                let want = try Golden.double(hex), got = generator.next()
                // Exact at float64: Python's math.log/sin/cos and Swift's Foundation call the same libm.
                #expect(got.bitPattern == want.bitPattern, "seed \(seed) value \(i): \(Golden.show(got)) vs \(Golden.show(want))")
            }
        }
    }

    @Test func randnIsDeterministicPerSeedAndDiffersAcrossSeeds() throws {
        let type = TensorType([64], .f32)
        let a = try Evaluator().evaluate(.randn(seed: 3), inputs: [], type: type)
        let b = try Evaluator().evaluate(.randn(seed: 3), inputs: [], type: type)
        let c = try Evaluator().evaluate(.randn(seed: 4), inputs: [], type: type)
        #expect(a == b)
        #expect(a != c)
        let mean = a.elements.reduce(0, +) / 64
        #expect(Swift.abs(mean) < 0.5)
    }
}
