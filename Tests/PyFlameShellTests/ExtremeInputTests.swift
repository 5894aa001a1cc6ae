import Foundation
import PyFlameIR
import PyFlameViews
@testable import PyFlameShell
import Testing

/// A version-1.0 `.npy` file with a hand-written header dict (no validation: the shell must refuse bad ones).
func npyBytes(descr: String = "<f4", shape: String, data: [UInt8] = []) -> [UInt8] {
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    let length = header.utf8.count
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)]
    bytes += Array(header.utf8)
    return bytes + data
}

/// Numbers at the extremes, long chains, high ranks and odd `.npy` headers: each is refused with a
/// clear message (or computed), never a trap or a stack overflow (issue 12, items 1, 4, 5, 6, 21, 25).
@Suite struct ExtremeInputTests {
    // Item 1: integer-dtype scalars of magnitude >= 2^63 trapped in Int64(value).
    @Test func hugeScalarsForIntegerDtypesAreRefusedLikeFractions() {
        let shell = Shell()
        run(shell, "x = arange(4, dtype=i32)")
        #expect(run(shell, "x + 1e19").lines.first?.text == "error: the scalar 1e+19 is not exact in i32 (no promotion: make the tensor with dtype=f32)")
        #expect(run(shell, "x * -9.3e18").lines.first?.text == "error: the scalar -9.3e+18 is not exact in i32 (no promotion: make the tensor with dtype=f32)")
        #expect(
            run(shell, "x - 4294967296").lines.first?.text == "error: the scalar 4294967296 is not exact in i32 (no promotion: make the tensor with dtype=f32)")
        #expect(run(shell, "x - 9223372036854775807").lines.first?.text.hasSuffix("is not exact in i32 (no promotion: make the tensor with dtype=f32)") == true)
        #expect(
            run(shell, "full([2], 1e300, dtype=i32)").lines.first?.text
                == "error: the fill value 1e+300 is not exact in i32 (no promotion: make the tensor with dtype=f32)")
        #expect(
            run(shell, "tensor([1e19], dtype=i16)").lines.first?.text
                == "error: the element 1e+19 is not exact in i16 (no promotion: make the tensor with dtype=f32)")
        #expect(run(shell, "x + inf").failed)
        #expect(run(shell, "x + nan").failed)
        #expect(run(shell, "x + 2147483647").text == "tensor<4xi32> SinglePE [2147483647, -2147483648, -2147483647, -2147483646]")
    }

    // Messages: large integers print exactly, infinities are not mangled.
    @Test func messagesPrintTheNumberTheUserWrote() {
        let shell = Shell()
        run(shell, "x = arange(4, dtype=i32)")
        #expect(
            run(shell, "x + 2147483648").lines.first?.text == "error: the scalar 2147483648 is not exact in i32 (no promotion: make the tensor with dtype=f32)")
        #expect(run(shell, "full([2], 1e300, dtype=f16)").lines.first?.text == "error: the fill value 1e+300 overflows f16")
        #expect(run(shell, "full([2], 1e300)").lines.first?.text == "error: the fill value 1e+300 overflows f32")
    }

    @Test func shapeAndDimensionErrorsNameTheShapesAndTheRank() {
        let shell = Shell()
        run(shell, "x = arange(8)", "m = ones([8, 16])", "s = ones([2, 3, 4])")
        #expect(run(shell, "transpose(x, 0, 1)").lines.first?.text == "error: Transpose dimension out of range: dim 1 of a 1-D tensor (dims are -1 to 0)")
        #expect(run(shell, "transpose(m, 0, 2)").lines.first?.text == "error: Transpose dimension out of range: dim 2 of a 2-D tensor (dims are -2 to 1)")
        #expect(run(shell, "transpose(x)").text == "tensor<8xf32> SinglePE [0, 1, 2, 3, 4, 5, 6, 7]")
        #expect(run(shell, "transpose(x, 0, -1)").failed == false)
        #expect(run(shell, "sum(s, dim=-4)").lines.first?.text == "error: Reduction dimension out of range: dim=-4 of a 3-D tensor (dims are -3 to 2)")
        #expect(run(shell, "x + m").lines.first?.text == "error: Shapes are not broadcastable: dimension 8 vs 16 (shapes [8] and [8, 16])")
        #expect(
            run(shell, "set pe_data_budget 1Gi").lines.first?.text
                == "error: pe_data_budget takes a whole number of B (suffixes: K, Ki or KiB for x1024; M, Mi or MiB for x1024²), not '1Gi'")
        #expect(run(shell, "set pe_data_budget 40Ki").text == "pe_data_budget = 40960")
        #expect(
            run(shell, "x on RowPartition(9223372036854775807)").lines.first?.text
                == "error: a layout has at most 1000000 PEs along each axis, not 9223372036854775807")
    }

    // Item 4: long flat chains overflowed the stack in the graph builder.
    @Test func longFlatChainsBuildWithoutRecursion() {
        let shell = Shell()
        let terms = 10_000
        #expect(run(shell, Array(repeating: "1", count: terms).joined(separator: "+")).text == "\(terms)")
        #expect(run(shell, Array(repeating: "2", count: terms).joined(separator: "*")).text == "inf")
        run(shell, "a = ones(2)")
        #expect(run(shell, "b = " + Array(repeating: "a", count: terms).joined(separator: "*")).text == "b = tensor<2xf32> SinglePE [1, 1]")
        let operands = ["a", "1", "a", "2"], operators = ["+", "-", "*", "/"]
        var mixed = "a"
        for k in 1..<terms { mixed += operators[k % 4] + operands[k % 4] }
        #expect(!run(shell, "c = " + mixed).failed)
    }

    @Test func deepUnaryChainsAreRefusedByTheDepthLimit() {
        let shell = Shell()
        run(shell, "a = ones(2)")
        let r = run(shell, String(repeating: "- ", count: 10_000) + "a")
        #expect(r.lines.first?.text == "error: expression nested too deeply (over 256 levels)")
        #expect(run(shell, String(repeating: "- ", count: 10) + "a").text == "tensor<2xf32> SinglePE [1, 1]")
    }

    @Test func aDeepGraphKeepsWorking() {
        let shell = Shell()
        run(shell, "a = ones([4, 4])")
        for _ in 0..<200 { run(shell, "a = a + 1") }
        // One statement makes a chain of 10,000 nodes: every walk over the graph is iterative.
        #expect(run(shell, "b = a" + String(repeating: " + 1", count: 10_000)).text.hasPrefix("b = tensor<4x4xf32> SinglePE [[10201, 10201, 10201, 10201]"))
        #expect(!run(shell, ":graph").failed)
        #expect(run(shell, "c = b * 2 on RowPartition(2)").text.hasPrefix("c = tensor<4x4xf32> RowPartition(2) [[20402,"))
        #expect(run(shell, "d = sum(c, dim=0)").text == "d = tensor<4xf32> SinglePE [81608, 81608, 81608, 81608]")
        #expect(!run(shell, ":tiles c").failed)
        // Lowered, the chain on the fabric is cut into kernels of bounded size (each kernel's expression is a tree).
        run(shell, "f = a * 1 on RowPartition(2)")
        #expect(run(shell, "f = f" + String(repeating: " + 1", count: 10_000)).text.hasPrefix("f = tensor<4x4xf32> RowPartition(2) [[10201,"))
        #expect(!run(shell, ":lower f").failed)
    }

    // Item 5: very high ranks overflowed the stack in ValueFormat.elements.
    @Test func ranksOverTheLimitAreRefused() {
        let shell = Shell()
        let ones60k = Array(repeating: "1", count: 60_000).joined(separator: ", ")
        #expect(run(shell, "reshape(ones([2]), [1, \(ones60k), 2])").lines.first?.text == "error: shape has 60002 dimensions, over the limit of 64")
        let ones65 = Array(repeating: "1", count: 65).joined(separator: ", ")
        #expect(run(shell, "ones([\(ones65)])").lines.first?.text == "error: shape has 65 dimensions, over the limit of 64")
        let ones64 = Array(repeating: "1", count: 64).joined(separator: ", ")
        #expect(!run(shell, "ones([\(ones64)])").failed)
        let ones63 = Array(repeating: "1", count: 63).joined(separator: ", ")
        #expect(!run(shell, "reshape(ones([2]), [\(ones63), 2])").failed)
        #expect(
            run(shell, "tensor(" + String(repeating: "[", count: 65) + "1" + String(repeating: "]", count: 65) + ")").lines.first?.text
                == "error: the tensor literal has more than 64 dimensions, the limit")
    }

    @Test func npyFilesWithTooManyDimensionsAreRefused() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let dims = Array(repeating: "1", count: 50_000).joined(separator: ", ")
        // The header length field holds 16 bits in format 1.0: write format 2.0.
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(dims)), }"
        header += String(repeating: " ", count: (64 - (12 + header.utf8.count + 1) % 64) % 64) + "\n"
        let n = header.utf8.count
        let bytes: [UInt8] =
            [0x93] + Array("NUMPY".utf8) + [2, 0, UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), 0]
            + Array(header.utf8) + [0, 0, 0x80, 0x3F]
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/deep.npy"))
        let shell = Shell(baseDirectory: folder)
        #expect(run(shell, "d = load(\"deep.npy\")").lines.first?.text == "error: deep.npy: shape has 50000 dimensions, over the limit of 64")
    }

    // Item 6: zero dimensions beside huge ones trapped in Shape.strides / Tiling.checkSplit.
    @Test func npyShapesFollowTheLanguagesRules() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files: [(String, [UInt8])] = [
            ("zero-huge.npy", npyBytes(shape: "(0, 9223372036854775807, 9223372036854775807)")),
            ("zero-big.npy", npyBytes(shape: "(0, 9223372036854775807)")),
            ("empty.npy", npyBytes(shape: "(0,)")),
            ("overflow.npy", npyBytes(shape: "(4611686018427387904, 4)")),
            ("product.npy", npyBytes(shape: "(2147483647, 2147483647, 2147483647)")),
            ("ok.npy", npyBytes(shape: "(2,)", data: [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40])),
        ]
        for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name)) }
        let shell = Shell(baseDirectory: folder)
        #expect(run(shell, "z = load(\"zero-huge.npy\")").lines.first?.text == "error: zero-huge.npy: shape dimensions must be at least 1, not 0")
        #expect(run(shell, "z = load(\"zero-big.npy\")").lines.first?.text == "error: zero-big.npy: shape dimensions must be at least 1, not 0")
        #expect(run(shell, "z = load(\"empty.npy\")").lines.first?.text == "error: empty.npy: shape dimensions must be at least 1, not 0")
        #expect(run(shell, "z = load(\"overflow.npy\")").lines.first?.text == "error: overflow.npy: shape dimension 4611686018427387904 is too large")
        #expect(
            run(shell, "z = load(\"product.npy\")").lines.first?.text
                == "error: product.npy: shape 2147483647x2147483647x2147483647 has too many elements, over the host limit of 268435456 (set host_limit)")
        #expect(run(shell, "z = load(\"ok.npy\")").text == "z = tensor<2xf32> host [1, 2]")
        #expect(Shape([0, Int.max, Int.max]).strides.count == 3)
    }

    // Item 21: arange wrapped integers and made infinities where full/tensor refuse.
    @Test func arangeValuesMustBeExactInTheDtype() {
        let shell = Shell()
        #expect(
            run(shell, "arange(0, 1e10, 1e9, dtype=i16)").lines.first?.text
                == "error: arange's last value 9000000000 is not exact in i16 (no promotion: make the tensor with dtype=f32)")
        #expect(run(shell, "arange(0, 40000, 10000, dtype=i16)").text == "tensor<4xi16> host [0, 10000, 20000, 30000]")
        #expect(run(shell, "arange(0, 40000, 20000, dtype=i16)").text == "tensor<2xi16> host [0, 20000]")
        #expect(
            run(shell, "arange(0, 80000, 20000, dtype=i16)").lines.first?.text
                == "error: arange's last value 60000 is not exact in i16 (no promotion: make the tensor with dtype=f32)")
        #expect(
            run(shell, "arange(-40000, 0, 20000, dtype=i16)").lines.first?.text
                == "error: arange's first value -40000 is not exact in i16 (no promotion: make the tensor with dtype=f32)")
        let huge = run(shell, "arange(0, 1e308, 1e300)").lines.first?.text ?? ""
        #expect(huge.hasPrefix("error: arange's last value 9.99") && huge.hasSuffix("e+307 overflows f32"))
        #expect(run(shell, "arange(0, 1e6, 1e5, dtype=f16)").lines.first?.text == "error: arange's last value 900000 overflows f16")
        #expect(run(shell, "arange(0, 60000, 10000, dtype=f16)").text == "tensor<6xf16> host [0, 10000, 20000, 30000, 40000, 49984]")
    }

    // Item 25: a layout clause on a plain alias was ignored.
    @Test func aLayoutOnAnAliasPlacesACopy() {
        let shell = Shell()
        run(shell, "x = arange(8)")
        #expect(run(shell, "y = x on RowPartition(2)").text == "y = tensor<8xf32> RowPartition(2) [0, 1, 2, 3, 4, 5, 6, 7]")
        #expect(GraphPrinter.lines(shell.session.graph).last == "%1 (y) = layout_transform(%0) : tensor<8xf32> layout=RowPartition(2)")
        #expect(run(shell, "z = y on ColPartition(4)").text == "z = tensor<8xf32> ColPartition(4) [0, 1, 2, 3, 4, 5, 6, 7]")
        #expect(GraphPrinter.lines(shell.session.graph).last == "%2 (z) = layout_transform(%1) : tensor<8xf32> layout=ColPartition(4)")
        #expect(run(shell, "x on SinglePE").text == "tensor<8xf32> SinglePE [0, 1, 2, 3, 4, 5, 6, 7]")
        #expect(run(shell, "x").text == "x = tensor<8xf32> host [0, 1, 2, 3, 4, 5, 6, 7]")
        #expect(
            run(shell, "w = x on Grid(2, 2)").lines.first?.text
                == "error: Grid(2, 2) splits dims 0 and 1, but tensor<8xf32> is 1-D: use RowPartition or ColPartition")
        #expect(run(shell, "w = x on RowPartition(5)").lines.first?.text.hasPrefix("error: RowPartition(5) leaves PE (0,4) with an empty tile") == true)
        #expect(run(shell, "v = arange(8) on RowPartition(2)").lines.first?.text.hasPrefix("error: arange makes a host tensor") == true)
        // auto keeps the alias as it is.
        #expect(run(shell, "u = y on auto").text == "u = tensor<8xf32> RowPartition(2) [0, 1, 2, 3, 4, 5, 6, 7]")
        #expect(!run(shell, ":lower z").failed)
        // The copy runs on the fabric like any layout transform: simulated, it matches the reference.
        run(shell, ":sim z")
        #expect(run(shell, ":run").text.contains("z: simulated result matches reference"))
    }
}
