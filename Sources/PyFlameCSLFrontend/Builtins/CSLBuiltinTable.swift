// The SDK 1.4 builtins that Cerebras' 1.4 examples (tutorials and benchmarks) call, with their documented
// forms, argument kinds and results. One entry a builtin; forms are listed as the builtins page lists its
// "Syntax" lines. DSD operations come last, in one block built by `dsdOperation`.

private typealias P = CSLBuiltinParameter
private typealias F = CSLBuiltinForm
private typealias B = CSLBuiltinSignature

/// `.{ .async = true, .activate = task_id, ... }`: the optional last argument of DSD operations.
private let operationConfig = P("config", .struct)

/// A DSD operation: destination first, then its sources; an optional config struct last.
private func dsdOperation(_ name: String, sources: [String], scalar: Bool = false, _ summary: String) -> B {
    var parameters = [P("dest", .dsdOperand)] + sources.map { P($0, .dsdOperand) }
    if scalar { parameters.append(P("scalar", .dsdOperand)) }
    return B(name, [F(parameters), F(parameters + [operationConfig])], result: .void, place: .runtime, summary)
}

let sdk14BuiltinTable: [CSLBuiltinSignature] = [
    // ---- Modules, params and comptime
    B(
        "import_module", [F([P("path", .string)]), F([P("path", .string), P("params", .struct)])], result: .module,
        "imports a CSL file or an SDK library (`<memcpy/memcpy>`), binding its params from the struct"),
    B(
        "comptime_assert", [F([P("cond", .bool)]), F([P("cond", .bool), P("message", .string)])], result: .void,
        "fails compilation when the condition, known at compile time, is false"),
    B("assert", [F([P("cond", .bool)])], result: .void, "aborts a simulation when the condition is false (at compile time: @comptime_assert)"),
    B("is_arch", [F([P("arch", .string)])], result: .bool, "whether the program is compiled for the architecture named (\"wse2\", \"wse3\")"),
    B("concat_structs", [F([P("a", .struct), P("b", .struct)])], result: .struct, "a struct with the fields of both (names must differ)"),
    B("type_of", [F([P("value", .any)])], result: .type, "the type of a value"),
    B("is_same_type", [F([P("a", .type), P("b", .type)])], result: .bool, "whether two types are the same"),
    B(
        "range", [F([P("type", .type), P("stop", .integer)]), F([P("type", .type), P("start", .integer), P("stop", .integer), P("step", .integer)])],
        result: .range, "the values start, start + step, ... below stop, of the given integer type, for a `for` loop"),
    B("get_int", [F([P("value", .any)])], result: .comptimeInt, "the integer a color or ID stands for"),
    B("get_rectangle", [F([])], result: .struct, "the program rectangle: `.width` and `.height`"),

    // ---- Values and conversions
    B("as", [F([P("type", .type), P("value", .number)])], result: .ofTypeArgument, "converts a number or bool to another numeric type"),
    B("bitcast", [F([P("type", .type), P("value", .any)])], result: .ofTypeArgument, "the same bits read as another type of the same width"),
    B("ptrcast", [F([P("type", .type), P("pointer", .pointer)])], result: .ofTypeArgument, "a pointer converted to another pointer type"),
    B("zeros", [F([P("type", .type)])], result: .ofTypeArgument, "a value of the type with every element zero"),
    B("constants", [F([P("type", .type), P("value", .any)])], result: .ofTypeArgument, "an array of the type with every element the value"),

    // ---- Layout: the program rectangle, code, routes and host symbols
    B("set_rectangle", [F([P("width", .comptimeInt), P("height", .comptimeInt)])], result: .void, place: .layout, "sets the program rectangle"),
    B(
        "set_tile_code",
        [
            F([P("x", .comptimeInt), P("y", .comptimeInt)]), F([P("x", .comptimeInt), P("y", .comptimeInt), P("file", .string)]),
            F([P("x", .comptimeInt), P("y", .comptimeInt), P("file", .string), P("params", .struct)]),
        ], result: .void, place: .layout, "the code the PE at (x, y) runs, with its params"),
    B(
        "set_color_config", [F([P("x", .comptimeInt), P("y", .comptimeInt), P("color", .color), P("config", .struct)])], result: .void,
        place: .layout, "the route of a color at the PE at (x, y): `.routes` (rx, tx), `.switches`, `.filter`, color swap"),
    B(
        "set_local_color_config", [F([P("color", .color), P("config", .struct)])], result: .void,
        "the route of a color at this PE, from the PE's program"),
    B(
        "export_name", [F([P("name", .string), P("type", .type)]), F([P("name", .string), P("type", .type), P("mutable", .bool)])], result: .void,
        place: .layout, "declares a symbol the host may use (paired with @export_symbol)"),
    B(
        "export_symbol", [F([P("symbol", .any)]), F([P("symbol", .any), P("name", .string)])], result: .void,
        "exports a variable or function of the PE's program under a name"),

    // ---- Colors, queues and task IDs
    B("get_color", [F([P("id", .comptimeInt)])], result: .color, "the color with that number"),
    B("get_input_queue", [F([P("id", .comptimeInt)])], result: .inputQueue, "the input queue with that number"),
    B("get_output_queue", [F([P("id", .comptimeInt)])], result: .outputQueue, "the output queue with that number"),
    B(
        "initialize_queue", [F([P("queue", .queue), P("config", .struct)])], result: .void,
        "binds a queue to a color (`.{ .color = c }`); WSE-3 programs initialise every queue they use"),
    B("get_local_task_id", [F([P("id", .comptimeInt)])], result: .localTaskID, "the local task ID with that number"),
    B(
        "get_data_task_id", [F([P("source", .color, .inputQueue)])], result: .dataTaskID,
        "the data task ID of a color (WSE-2) or an input queue (WSE-3)"),
    B("get_control_task_id", [F([P("id", .comptimeInt)])], result: .controlTaskID, "the control task ID with that number"),
    B("get_ut_id", [F([P("id", .integer)])], result: .microthreadID, onlyOn: "wse3", "the microthread ID with that number"),

    // ---- Tasks
    B("bind_local_task", [F([P("task", .task), P("id", .localTaskID)])], result: .void, "binds a task to a local task ID"),
    B("bind_data_task", [F([P("task", .task), P("id", .dataTaskID)])], result: .void, "binds a task to a data task ID (it runs per wavelet)"),
    B("bind_control_task", [F([P("task", .task), P("id", .controlTaskID)])], result: .void, "binds a task to a control task ID"),
    B("activate", [F([P("id", .localTaskID)])], result: .void, place: .runtime, "makes a local task eligible to run"),
    B("block", [F([P("id", .taskID)])], result: .void, "blocks a task: it does not run until unblocked"),
    B("unblock", [F([P("id", .taskID)])], result: .void, "unblocks a task"),
    B(
        "set_teardown_handler", [F([P("handler", .function), P("color", .color)])], result: .void,
        "the function that runs when the color is torn down"),

    // ---- DSDs and DSRs
    B(
        "get_dsd", [F([P("kind", .type), P("properties", .struct)])], result: .dsd,
        "a DSD of a kind (mem1d_dsd, mem4d_dsd, fabin_dsd, fabout_dsd) from its properties"),
    B("set_dsd_base_addr", [F([P("dsd", .dsd), P("address", .pointer)])], result: .dsd, "the DSD with another base address"),
    B("set_dsd_length", [F([P("dsd", .dsd), P("length", .integer)])], result: .dsd, "the DSD with another length"),
    B("set_dsd_stride", [F([P("dsd", .dsd), P("stride", .integer)])], result: .dsd, "the DSD with another stride"),
    B(
        "increment_dsd_offset", [F([P("dsd", .dsd), P("offset", .integer), P("element type", .type)])], result: .dsd,
        "the DSD moved by offset elements of the type"),
    B("allocate_fifo", [F([P("buffer", .array)]), F([P("buffer", .array), P("config", .struct)])], result: .dsd, "a FIFO over the buffer"),
    B("get_dsr", [F([P("type", .type), P("id", .comptimeInt)])], result: .dsr, "the data structure register of that type and number"),
    B(
        "load_to_dsr", [F([P("dsr", .dsr), P("dsd", .dsd)]), F([P("dsr", .dsr), P("dsd", .dsd), P("config", .struct)])], result: .void,
        place: .runtime, "loads a DSD into a data structure register"),
    B(
        "map", [F([P("callback", .function), P("operand", .any)], repeating: P("operand", .any))], result: .void, place: .runtime,
        "calls a function element by element over DSDs and scalars, writing the last DSD"),

    // ---- DSD operations (f32, then f16, then integer moves and adds)
    dsdOperation("fadds", sources: ["src1", "src2"], "dest = src1 + src2 (f32)"),
    dsdOperation("fsubs", sources: ["src1", "src2"], "dest = src1 - src2 (f32)"),
    dsdOperation("fmuls", sources: ["src1", "src2"], "dest = src1 * src2 (f32)"),
    dsdOperation("fmacs", sources: ["src1", "src2"], scalar: true, "dest = src1 + src2 * scalar (f32)"),
    dsdOperation("fmaxs", sources: ["src1", "src2"], "dest = max(src1, src2) (f32)"),
    dsdOperation("fmovs", sources: ["src"], "dest = src (f32)"),
    dsdOperation("fnegs", sources: ["src"], "dest = -src (f32)"),
    dsdOperation("faddh", sources: ["src1", "src2"], "dest = src1 + src2 (f16)"),
    dsdOperation("fsubh", sources: ["src1", "src2"], "dest = src1 - src2 (f16)"),
    dsdOperation("fmulh", sources: ["src1", "src2"], "dest = src1 * src2 (f16)"),
    dsdOperation("fmach", sources: ["src1", "src2"], scalar: true, "dest = src1 + src2 * scalar (f16)"),
    dsdOperation("fmovh", sources: ["src"], "dest = src (f16)"),
    dsdOperation("fnegh", sources: ["src"], "dest = -src (f16)"),
    dsdOperation("mov16", sources: ["src"], "dest = src (16 bits)"),
    dsdOperation("mov32", sources: ["src"], "dest = src (32 bits)"),
    dsdOperation("add16", sources: ["src1", "src2"], "dest = src1 + src2 (16-bit integers)"),
]
