import PyFlameFrontend
import PyFlameIR
import PyFlameTestSupport
import Testing

/// The syntax of the new ops (`x[1:-1]`, `x.astype(f16)`, `cast`, `concat`, `shift`) builds the nodes the
/// language docs describe, and every mistake is refused with a caret under what is wrong.
@Suite struct NewOpSyntaxTests {
    static let setup = ["fabric 8x8", "x = randn([6, 8], seed=1)", "v = arange(10)", "h = randn(8, seed=2, dtype=f16)"]

    /// The rendered diagnostic of the last statement (the others must succeed).
    func refusal(_ statement: String) -> String? {
        do {
            _ = try SourceProgram(Self.setup + [statement])
            return nil
        } catch {
            return error.message
        }
    }

    /// The column (0-based, in the statement) of the caret and the width it marks (`^~~` is 3) in a
    /// rendered diagnostic: the statement's line, then the marker line under it.
    func caret(_ rendered: String?, statement: String) -> (Int, Int)? {
        guard let lines = rendered?.split(separator: "\n").map(String.init),
            let at = lines.firstIndex(where: { $0.hasSuffix(statement) }), at + 1 < lines.count
        else { return nil }
        let indent = lines[at].count - statement.count
        let marker = lines[at + 1]
        guard let first = marker.firstIndex(of: "^"), marker.allSatisfy({ $0 == " " || $0 == "^" || $0 == "~" }) else { return nil }
        return (marker.distance(from: marker.startIndex, to: first) - indent, marker.filter { $0 == "^" || $0 == "~" }.count)
    }

    func node(_ statement: String) throws -> Node {
        let source = try SourceProgram(Self.setup + ["r = " + statement])
        return try #require(source.node("r"))
    }

    @Test func slicesResolveNegativeAndOmittedBoundsPerDimension() throws {
        var r = try node("v[1:-1]")
        #expect(r.op == .slice([1..<9], drop: []))
        #expect(r.type.shape == Shape([8]))
        r = try node("x[:, 0:4]")
        #expect(r.op == .slice([0..<6, 0..<4], drop: []))
        r = try node("x[-2:]")
        #expect(r.op == .slice([4..<6, 0..<8], drop: []))
        #expect(r.value?.elements == Array(try node("x").value!.elements[32...]))
        r = try node("x[2]")
        #expect(r.op == .slice([2..<3, 0..<8], drop: [0]))
        #expect(r.type.shape == Shape([8]))
        r = try node("x[1:3][0, -1]")
        #expect(r.type.shape == Shape([]))
        #expect(r.value?.elements == [try node("x").value!.elements[15]])
    }

    @Test func castAstypeConcatAndShiftBuildTheirOps() throws {
        #expect(try node("cast(h, f32)").op == .cast(.f32))
        #expect(try node("h.astype(f32)").type == TensorType([8], .f32))
        #expect(try node("sum(h.astype(f32))").type == TensorType([], .f32))
        let c = try node("concat([x, x[0:2]], dim=0)")
        #expect(c.op == .concat(dim: 0))
        #expect(c.type.shape == Shape([8, 8]))
        let s = try node("shift(v, 2)")
        #expect(s.op == .shift(2, dim: 0))
        #expect(s.value?.elements == [0, 0, 0, 1, 2, 3, 4, 5, 6, 7])
        #expect(try node("shift(x, -1, dim=1)").op == .shift(-1, dim: 1))
    }

    @Test func mistakesAreRefusedWithACaretUnderTheirPart() {
        // r = x[1:100]: the caret under 100 (columns: "r = x[1:" is 8 characters).
        let cases: [(String, String, Int, Int)] = [
            ("r = x[1:100]", "100 is outside dim 0 of size 6", 8, 3),
            ("r = x[0:2, -9:]", "-9 is outside dim 1 of size 8", 11, 2),
            ("r = x[3:3]", "3:3 of dim 0 (size 6) is empty", 6, 3),
            ("r = x[v:2]", "slice bounds are whole numbers", 6, 1),
            ("r = x[6]", "index 6 is out of bounds for dim 0 with size 6", 6, 1),
            ("r = x[1, 2, 3]", "too many indices: 3 for a 2-D tensor", 12, 1),
            ("r = x[::2]", "slices take no step", 7, 1),
            ("r = x.relu()", "tensors have one method, astype", 6, 4),
            ("r = x.astype(f64)", "dtype f64 cannot be used", 13, 3),
            ("r = concat([x, v])", "concat: all tensors need the same number of dims", 15, 1),
            ("r = concat(x)", "concat takes a list of tensors", 11, 1),
            ("r = shift(x, 1, dim=2)", "shift: dim 2 is out of range", 4, 18),
        ]
        for (statement, message, column, width) in cases {
            let rendered = refusal(statement)
            #expect(rendered?.contains(message) == true, "\(statement): \(rendered ?? "accepted")")
            let at = caret(rendered, statement: statement)
            #expect(
                at?.0 == column && at?.1 == width, "\(statement): caret at \(at.map { "\($0)" } ?? "none"), wanted (\(column), \(width)) in\n\(rendered ?? "")")
        }
    }
}
