/// A tensor's contents on the host: a row-major array of elements, each exactly representable in the
/// dtype (f16/bf16 values are stored already rounded; integers are whole numbers in range).
/// Doubles hold every supported dtype exactly, so one storage type serves them all.
public struct TensorValue: Equatable, Sendable {
    public var type: TensorType
    public var elements: [Double]

    public var shape: Shape { type.shape }
    public var dtype: DType { type.dtype }

    /// Makes a value, rounding every element to the dtype.
    public init(_ type: TensorType, rounding elements: [Double]) {
        self.type = type
        self.elements = elements.map { type.dtype.round($0) }
    }

    /// Makes a value from elements that are already exact in the dtype.
    public init(_ type: TensorType, exact elements: [Double]) {
        precondition(elements.count == type.shape.elementCount, "element count does not match shape")
        self.type = type
        self.elements = elements
    }

    public subscript(flat index: Int) -> Double { elements[index] }
}
