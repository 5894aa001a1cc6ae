import PyFlameIR

/// The functions the language knows, for completion, `:help` and "did you mean".
public enum Builtins {
    public static let constructors = ["arange", "ones", "zeros", "full", "randn", "tensor", "load"]
    public static let unary = UnaryFunction.allCases.map(\.rawValue)
    public static let reductions = ReduceFunction.allCases.map(\.rawValue)
    public static let others = ["matmul", "transpose", "reshape", "cast", "concat", "shift"]
    public static var functions: [String] { constructors + unary + reductions + others }
    /// Names usable as values: scalars and the words of keyword arguments.
    public static let constants = ["inf", "nan", "pi", "true", "false"]
    public static let dtypes = DType.allCases.map(\.rawValue)
}
