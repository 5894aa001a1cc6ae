import PyFlameCSLFrontend
import PyFlameIR

/// Small CSL projects written for these tests, held in memory (`files`: path → text) and elaborated through
/// `CSLProjectLoader.elaborate` with a reader over them.
struct ProjectFixture {
    var files: [String: String]
    var layout = "proj/layout.csl"

    func elaborate(_ arguments: String = "", shouldStop: @escaping () -> Bool = { false }) throws -> CSLElaboratedProject {
        let options = try CSLCompileOptions.parse(commandLine: arguments.split(separator: " ").map(String.init))
        let files = self.files
        return CSLProjectLoader.elaborate(layoutPath: layout, options: options, readFile: { files[$0] }, shouldStop: shouldStop)
    }

    /// A project whose layout is `layout` and whose one PE file (`pe.csl`) is `pe`.
    static func layout(_ layout: String, pe: String = "param p: i16 = 0;\n", more: [String: String] = [:]) -> ProjectFixture {
        var files = ["proj/layout.csl": layout, "proj/pe.csl": pe]
        for (k, v) in more { files["proj/" + k] = v }
        return ProjectFixture(files: files)
    }
}

extension CSLElaboratedProject {
    /// `line:col: severity: message` of every diagnostic (the file name dropped), for exact comparisons.
    var messages: [String] {
        diagnostics.map { d in
            guard let file = files[d.path], let (line, col) = d.location(in: file) else { return "\(d.severity.label): \(d.message)" }
            return "\(d.path.split(separator: "/").last ?? ""):\(line):\(col): \(d.severity.label): \(d.message)"
        }
    }

    /// The parameters of the code at `pe`, by name.
    func params(at pe: PECoord) -> [String: CSLValue] {
        var out: [String: CSLValue] = [:]
        for f in code(at: pe)?.params ?? [] { out[f.name] = f.value }
        return out
    }
}

/// A 2x2 project: per-PE parameters, routes with a switch, a filter and color swap, memcpy.
let twoByTwoLayout = """
    param width: u16;
    const data: color = @get_color(2);
    const back: color = @get_color(5);
    const io = @import_module("<memcpy/get_params>", .{ .width = width, .height = 2 });

    layout {
      @set_rectangle(width, 2);
      for (@range(u16, width)) |x| {
        for (@range(u16, 2)) |y| {
          @set_tile_code(x, y, "pe.csl", .{ .io = io.get_params(x), .first = x == 0, .row = y, .data = data });
        }
      }
      @set_color_config(0, 0, data, .{ .routes = .{ .rx = .{ RAMP }, .tx = .{ EAST } } });
      @set_color_config(1, 0, data, .{ .routes = .{ .rx = .{ WEST }, .tx = .{ RAMP, SOUTH } },
                                      .filter = .{ .kind = .{ .range = true }, .min_idx = 2, .max_idx = 7 } });
      @set_color_config(1, 1, data, .{ .routes = .{ .rx = .{ NORTH }, .tx = .{ RAMP } },
                                      .switches = .{ .pos1 = .{ .rx = EAST }, .pos2 = .{ .tx = .{ WEST, RAMP } },
                                                     .current_switch_pos = 0, .ring_mode = true,
                                                     .pop_mode = .{ .pop_on_advance = true } } });
      @set_color_config(0, 1, back, .{ .routes = .{ .rx = .{ RAMP }, .tx = .{ EAST }, .color_swap_x = true } });
      @export_name("buf", [*]f32, true);
      @export_name("go", fn() void);
    }
    """

let twoByTwoPE = """
    param io: comptime_struct;
    param first: bool;
    param row: u16;
    param data: color;

    const sys = @import_module("<memcpy/memcpy>", io);
    const n: u16 = if (first) 8 else 4;
    var buf: [n]f32 = @zeros([n]f32);
    var grid: [2, n]f32;
    var buf_ptr: [*]f32 = &buf;
    const odd = @get_dsd(mem1d_dsd, .{ .tensor_access = |i|{n / 2} -> buf[2 * i + 1] });
    const column = @get_dsd(mem4d_dsd, .{ .tensor_access = |r, c|{2, n} -> grid[r, c] });
    const q: input_queue = @get_input_queue(2);
    const recv_id: data_task_id = @get_data_task_id(data);
    const done_id: local_task_id = @get_local_task_id(9);

    task recv(v: f32) void {
      const in = @get_dsd(fabin_dsd, .{ .extent = n, .fabric_color = data, .input_queue = q });
      buf[0] = v;
    }
    task done() void { sys.unblock_cmd_stream(); }
    fn go() void { @activate(done_id); }

    comptime {
      @bind_data_task(recv, recv_id);
      @bind_local_task(done, done_id);
      @export_symbol(buf_ptr, "buf");
      @export_symbol(go);
    }
    """
