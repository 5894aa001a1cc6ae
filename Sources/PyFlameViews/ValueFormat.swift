import Foundation
import PyFlameIR

/// The tensor formats of docs/language.md, with the numbers of ``NumberFormat``: up to 16 elements per
/// dimension in full, otherwise the first and last 3.
public enum ValueFormat {
    /// Elements per dimension printed in full.
    public static let fullLimit = 16
    /// Elements printed at each end of a longer dimension.
    public static let edgeCount = 3

    /// One element of `dtype` (``NumberFormat/number(_:_:)``).
    public static func number(_ x: Double, _ dtype: DType) -> String { NumberFormat.number(x, dtype) }

    /// A plain number of the calculator (``NumberFormat/double(_:)``).
    public static func double(_ x: Double) -> String { NumberFormat.double(x) }

    /// `[0, 1, 2, ..., 1021, 1022, 1023]`, nested for 2-D and beyond; a scalar prints bare. Walks the
    /// dimensions with an explicit stack, so a value of any rank prints without recursion.
    public static func elements(_ value: TensorValue) -> String {
        let dims = value.shape.dims
        guard !dims.isEmpty else { return value.elements.first.map { number($0, value.dtype) } ?? "" }
        if value.shape.elementCount == 0 { return String(repeating: "[", count: dims.count) + String(repeating: "]", count: dims.count) }
        let strides = value.shape.strides
        /// The indices shown along a dimension of `n` elements; nil stands for the `...`.
        func shown(_ n: Int) -> [Int?] {
            n <= fullLimit ? Array(0..<n) : Array(0..<edgeCount) + [nil] + Array((n - edgeCount)..<n)
        }
        /// One open bracket: its dimension, the flat offset of its first element, what it shows and how far it got.
        struct Level {
            var dim: Int
            var offset: Int
            var indices: [Int?]
            var next = 0
        }
        var text = "["
        var stack = [Level(dim: 0, offset: 0, indices: shown(dims[0]))]
        while let level = stack.last {
            guard level.next < level.indices.count else {
                text += "]"
                stack.removeLast()
                continue
            }
            if level.next > 0 { text += ", " }
            stack[stack.count - 1].next += 1
            guard let i = level.indices[level.next] else { text += "..."; continue }
            let at = level.offset + i * strides[level.dim]
            if level.dim == dims.count - 1 {
                text += number(value.elements[at], value.dtype)
            } else {
                text += "["
                stack.append(Level(dim: level.dim + 1, offset: at, indices: shown(dims[level.dim + 1])))
            }
        }
        return text
    }

    /// `tensor<1024xf32> RowPartition(4) [0, 1, ...]`, with `name = ` in front when there is a name.
    public static func tensor(_ value: TensorValue, layout: Layout, name: String?) -> String {
        (name.map { "\($0) = " } ?? "") + "\(value.type) \(layout) " + elements(value)
    }
}
