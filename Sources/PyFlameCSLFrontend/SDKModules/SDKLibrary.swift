import Foundation
import PyFlameIR
import PyFlameLowering

/// The SDK 1.4 libraries a CSL file imports as `@import_module("<name>", params)`, as built-in modules of
/// ours: each has its documented interface (members and functions) implemented natively. Libraries only
/// the benchmarks import are opaque: any member reads as an unknown value, with a `cannot check` note.
enum SDKLibrary: Equatable {
    case memcpyGetParams
    case memcpy
    case layout
    case math
    case random
    case control
    case time
    case debug
    case simprint
    case collectivesParams
    case collectivesPE
    /// `<tile_config>`, `<memcpy/memcpy_switches>`, `<directions>`, `<kernels/...>`: parsed, not modelled.
    case opaque(String)

    /// The library `<name>` names (`name` with its angle brackets), or nil when SDK 1.4 has no such library.
    static func named(_ name: String) -> SDKLibrary? {
        switch name {
        case "<memcpy/get_params>": return .memcpyGetParams
        case "<memcpy/memcpy>": return .memcpy
        case "<layout>": return .layout
        case "<math>": return .math
        case "<random>": return .random
        case "<control>": return .control
        case "<time>": return .time
        case "<debug>": return .debug
        case "<simprint>": return .simprint
        case "<collectives_2d/params>": return .collectivesParams
        case "<collectives_2d/pe>": return .collectivesPE
        case "<tile_config>", "<memcpy/memcpy_switches>", "<directions>": return .opaque(name)
        default:
            if name.hasPrefix("<kernels/") { return .opaque(name) }
            return nil
        }
    }

    /// Whether importing it means the project uses memcpy (its colors, queues and task IDs are taken).
    var usesMemcpy: Bool { self == .memcpyGetParams || self == .memcpy }

    /// Run-time functions each library exports, with their result types.
    private var functions: [String: CSLType] {
        let u16 = CSLType.int(signed: false, bits: 16), u32 = CSLType.int(signed: false, bits: 32)
        let f16 = CSLType.float(bits: 16), f32 = CSLType.float(bits: 32)
        switch self {
        case .memcpyGetParams: return ["get_params": .comptimeStruct]
        case .memcpy: return ["unblock_cmd_stream": .void]
        case .layout: return ["get_x_coord": u16, "get_y_coord": u16]
        case .math:
            var table: [String: CSLType] = ["abs": .opaque("anytype"), "sqrt": .opaque("anytype"), "inv": .opaque("anytype"), "invsqrt": .opaque("anytype")]
            for base in ["sqrt", "invsqrt", "exp", "log", "abs", "inv", "sin", "cos", "tanh", "ceil", "floor", "fmax", "fmin", "pow"] {
                table["\(base)_f16"] = f16
                table["\(base)_f32"] = f32
            }
            for base in ["isNaN", "isInf", "isFinite", "signbit"] {
                table["\(base)_f16"] = .bool
                table["\(base)_f32"] = .bool
            }
            return table
        case .random: return ["random_f16": f16, "random_f32": f32, "random_u16": u16, "random_u32": u32, "set_global_prng_seed": .void]
        case .control:
            return ["encode_single_payload": u32, "encode_control_task_payload": u32, "encode_payload": u32]
        case .time: return ["enable_tsc": .void, "disable_tsc": .void, "get_timestamp": .void, "reset_tsc_counter": .void]
        case .debug:
            var table: [String: CSLType] = ["trace_string": .void, "trace_timestamp": .void, "put_marker": .void, "trace_bool": .void]
            for t in ["u8", "i8", "u16", "i16", "u32", "i32", "f16", "f32"] { table["trace_\(t)"] = .void }
            return table
        case .simprint:
            var table: [String: CSLType] = ["print_string": .void, "print_f16": .void, "print_f32": .void]
            for t in ["u16", "i16", "u32", "i32"] {
                table["print_\(t)_decimal"] = .void
                table["print_\(t)_hex"] = .void
            }
            return table
        case .collectivesParams: return ["get_params": .comptimeStruct]
        case .collectivesPE:
            return ["init": .void, "broadcast": .void, "scatter": .void, "gather": .void, "reduce_fadds": .void, "reduce_fmaxs": .void]
        case .opaque: return [:]
        }
    }

    /// A member of the library module `m`: a function, a constant or a type; nil when it has none.
    func member(_ name: String, module m: CSLModuleInstance, range: CSLSourceRange, evaluator: CSLEvaluator) throws -> CSLValue? {
        if case .opaque(let what) = self { return .opaque("\(what).\(name)") }
        if let result = functions[name] {
            return .function(CSLFunctionRef(moduleID: m.id, name: name, type: .function(parameters: [], result: result)))
        }
        switch (self, name) {
        case (.memcpy, "MEMCPYH2D_1"), (.memcpy, "MEMCPYH2D_2"), (.memcpy, "MEMCPYD2H_1"), (.memcpy, "MEMCPYD2H_2"):
            // The streaming colors `<memcpy/get_params>` was given, passed on in each PE's memcpy_params.
            // Not given to <memcpy/get_params>: `{}` (void), which programs test with @is_same_type.
            return m.params[name] ?? .void
        case (.control, "opcode"):
            return .type(.enumType(name: "opcode", cases: ControlCommand.allCases.map(SDKLibrary.opcodeName)))
        case (.math, _):
            for kind in ["f16", "f32"] {
                let t: CSLType = kind == "f16" ? .float(bits: 16) : .float(bits: 32)
                switch name {
                case "NaN_\(kind)": return .float(.nan, t)
                case "POSITIVE_INF_\(kind)": return .float(.infinity, t)
                case "NEGATIVE_INF_\(kind)": return .float(-.infinity, t)
                case "PI_\(kind)": return .float(Double.pi, t)
                case "E_\(kind)": return .float(M_E, t)
                default: continue
                }
            }
            return nil
        case (.time, "tsc_size_words"):
            return .int(3, .comptimeInt)
        case (.collectivesPE, "pe_id"):
            if case .structValue(let dim)? = m.params["dim_params"], let id = dim["pe_id"] { return id }
            return .runtime(.int(signed: false, bits: 16))
        default:
            return nil
        }
    }

    /// How SDK 1.4's `<control>` spells a command.
    static func opcodeName(_ c: ControlCommand) -> String {
        switch c {
        case .nop: return "NOP"
        case .switchAdvance: return "SWITCH_ADV"
        case .switchReset: return "SWITCH_RST"
        case .teardown: return "TEARDOWN"
        }
    }

    /// A call of one of the library's functions.
    func call(_ name: String, _ args: [CSLValue], argumentRanges: [CSLSourceRange], module m: CSLModuleInstance, range: CSLSourceRange, evaluator: CSLEvaluator)
        throws -> CSLValue
    {
        switch (self, name) {
        case (.memcpyGetParams, "get_params"):
            return try memcpyParams(args, argumentRanges: argumentRanges, module: m, range: range, evaluator: evaluator)
        case (.collectivesParams, "get_params"):
            return try collectivesParams(args, argumentRanges: argumentRanges, range: range, evaluator: evaluator)
        case (.math, _):
            if args.count == 1, case .float(let x, let t) = args[0], let f = SDKLibrary.mathFunction(name) {
                return .float(f(x), t)
            }
            if args.count == 1, case .int(let x, _) = args[0], name.hasPrefix("sqrt") || name.hasPrefix("abs"), let f = SDKLibrary.mathFunction(name) {
                return .float(f(Double(x)), .comptimeFloat)
            }
            return .runtime(functionResult(name) ?? .opaque("?"))
        default:
            return .runtime(functionResult(name) ?? .opaque("?"))
        }
    }

    private func functionResult(_ name: String) -> CSLType? { functions[name] }

    private static func mathFunction(_ name: String) -> ((Double) -> Double)? {
        let base = name.split(separator: "_").first.map(String.init) ?? name
        switch base {
        case "sqrt": return { $0.squareRoot() }
        case "abs": return { Swift.abs($0) }
        case "exp": return { Foundation.exp($0) }
        case "log": return { Foundation.log($0) }
        case "ceil": return { $0.rounded(.up) }
        case "floor": return { $0.rounded(.down) }
        default: return nil
        }
    }

    /// `<memcpy/get_params>`'s `get_params(x)`: the memcpy parameters of a PE in column `x` — the rectangle
    /// size, the column and the streaming colors the layout gave the library.
    private func memcpyParams(_ args: [CSLValue], argumentRanges: [CSLSourceRange], module m: CSLModuleInstance, range: CSLSourceRange, evaluator: CSLEvaluator)
        throws -> CSLValue
    {
        guard args.count == 1 else { throw evaluator.error("get_params takes 1 argument (the PE's column), got \(args.count)", at: range) }
        guard let x = args[0].intValue else {
            if evaluator.isUnknown(args[0]) { return .runtime(.comptimeStruct) }
            throw evaluator.error("get_params takes the PE's column, not \(args[0])", at: argumentRanges[0])
        }
        guard let width = m.params["width"]?.intValue, let height = m.params["height"]?.intValue else {
            throw evaluator.error("<memcpy/get_params> needs .width and .height", at: range)
        }
        guard x >= 0 && x < width else {
            throw evaluator.error("get_params(\(x)): the column is outside the memcpy rectangle's width \(width) (0 to \(width - 1))", at: argumentRanges[0])
        }
        var fields = [
            CSLStructField("width", .int(width, .comptimeInt)), CSLStructField("height", .int(height, .comptimeInt)),
            CSLStructField("x", .int(x, .comptimeInt)),
        ]
        for name in ["MEMCPYH2D_1", "MEMCPYH2D_2", "MEMCPYD2H_1", "MEMCPYD2H_2"] {
            fields.append(CSLStructField(name, m.params[name] ?? .void))
        }
        return .structValue(CSLStructValue(fields: fields))
    }

    /// `<collectives_2d/params>`'s `get_params(x, y, .{ .x_colors, .x_entrypoints, .y_colors, .y_entrypoints })`:
    /// per dimension, the PE's index, the dimension's size and its colors and entry points.
    private func collectivesParams(_ args: [CSLValue], argumentRanges: [CSLSourceRange], range: CSLSourceRange, evaluator: CSLEvaluator) throws -> CSLValue {
        guard args.count == 3 else { throw evaluator.error("get_params takes 3 arguments (x, y, .{ colors and entry points }), got \(args.count)", at: range) }
        guard let config = args[2].structValue else {
            throw evaluator.error("get_params' third argument must be a struct, not \(args[2])", at: argumentRanges[2])
        }
        for needed in ["x_colors", "x_entrypoints", "y_colors", "y_entrypoints"] where config[needed] == nil {
            throw evaluator.error("get_params needs .\(needed)", at: argumentRanges[2])
        }
        let width = evaluator.rectangle?.width, height = evaluator.rectangle?.height
        func dim(_ index: CSLValue, _ size: Int?, _ prefix: String) -> CSLValue {
            .structValue(
                CSLStructValue(fields: [
                    CSLStructField("pe_id", index), CSLStructField("count", size.map { .int($0, .comptimeInt) } ?? .runtime(.comptimeInt)),
                    CSLStructField("colors", config["\(prefix)_colors"]!), CSLStructField("entrypoints", config["\(prefix)_entrypoints"]!),
                ]))
        }
        return .structValue(CSLStructValue(fields: [CSLStructField("x", dim(args[0], width, "x")), CSLStructField("y", dim(args[1], height, "y"))]))
    }
}
