import PyFlameIR

/// What `:help` says about a command: usage, one-line summary, details and an example.
public struct CommandSpec: Sendable {
    public var name: String
    public var usage: String
    public var summary: String
    public var details: [String]
    public var example: String

    /// Whether the command takes file names (for Tab completion of paths).
    public var takesFiles: Bool
}

/// Every `:` command the shell knows, in the order `:help` lists them.
public enum CommandCatalog {
    public static let all: [CommandSpec] = [
        CommandSpec(
            name: "help", usage: ":help [command | set | functions | layouts | playground]",
            summary: "list commands, or one command's usage and an example",
            details: [
                "`:help set` lists every setting with its default; `:help functions` the tensor functions;",
                "`:help layouts` the layouts of the `on` clause.",
            ],
            example: ":help export", takesFiles: false),
        CommandSpec(
            name: "graph", usage: ":graph",
            summary: "the IR, one node a line in topological order",
            details: [
                "Each line: `%id (name) = op(operands, attributes) : type layout=...`; a reduction that",
                "combines PEs also shows `result=` where its result lives.",
            ],
            example: ":graph", takesFiles: false),
        CommandSpec(
            name: "lower", usage: ":lower NAME",
            summary: "NAME's program as lowered ops: pattern and its parameters, kernel, PEs, tiles, routes",
            details: [
                "The program is NAME's cone: NAME and every node it depends on, back to host tensors.",
                "Chains of elementwise ops on one layout fuse into one kernel; the host inputs and the",
                "read-back of NAME are listed first.",
            ],
            example: ":lower s", takesFiles: false),
        CommandSpec(
            name: "pes", usage: ":pes [NAME] [--limit N]",
            summary: "a map of the fabric: which op and which tile each PE holds",
            details: [
                "One letter per op (see the legend); `+` a PE with several ops, `:` a PE that only routes.",
                "Rectangles wider than the terminal (its width now; in scripts $COLUMNS, or 120) show blocks of PEs.",
                "Without NAME: the last tensor defined. --limit caps the tile lines (default 32).",
                "For a project :open loaded: which file and parameters each rectangle of PEs runs.",
            ],
            example: ":pes s", takesFiles: false),
        CommandSpec(
            name: "colors", usage: ":colors [NAME | --playground]",
            summary: "each color the program uses: its name, what it carries, where it is routed",
            details: [
                "Colors \(Architecture.programColorsText) are free for programs; memcpy reserves \(Architecture.memcpyColorsText).",
                "--playground (or no NAME before any tensor is defined): the routing playground's colors and sends.",
            ],
            example: ":colors s", takesFiles: false),
        CommandSpec(
            name: "routes", usage: ":routes [NAME | --playground] [COLOR] [--limit N]",
            summary: "one line per (PE, color): `(1,0) color 0: rx {WEST} tx {RAMP, EAST}`",
            details: [
                "Sorted by color, then PE address (row by row). --limit caps the lines (default 100).",
                "--playground (or no NAME before any tensor is defined): the routing playground's routes.",
            ],
            example: ":routes s 0", takesFiles: false),
        CommandSpec(
            name: "sim", usage: ":sim [NAME]",
            summary: "load NAME's program, or the playground routes, onto the simulated fabric at cycle 0",
            details: [
                "Host inputs are copied into PE buffers (free unless `set host_transfer_cost`);",
                "the fabric model's parameters come from the settings (:help set).",
            ],
            example: ":sim s", takesFiles: false),
        CommandSpec(
            name: "step", usage: ":step [N | -N]",
            summary: "advance N cycles (default 1) and summarise what moved; -N goes back N cycles (:back N)",
            details: [
                "`cycle 12: 5 hops on colors 0, 3; 2 delivered`, then at most a screenful of deliveries.",
                "Stops early after a cycle in which a breakpoint fires (:break).",
            ],
            example: ":step 10", takesFiles: false),
        CommandSpec(
            name: "run", usage: ":run [MAX]",
            summary: "run until the program finishes, deadlocks, a breakpoint fires, or MAX cycles; then compare with the reference",
            details: [
                "Elementwise results must match exactly; reductions and matmul within n·ε·Σ|terms|.",
                "A mismatch is an error. Ctrl-C pauses the run and returns to the prompt.",
                "A breakpoint (:break) stops the run after the cycle it fires in and says which and what happened.",
            ],
            example: ":run", takesFiles: false),
        CommandSpec(
            name: "back", usage: ":back [N]",
            summary: "go back N cycles (default 1): the last checkpoint before, then the cycles after it again",
            details: [
                "A checkpoint is kept every `checkpoint_interval` cycles (memory up to `checkpoint_memory`);",
                "the simulator is deterministic, so running on from one passes through the same states.",
                "A :trace being written is closed first (a trace records one pass forward). Ctrl-C stops",
                "a long re-run at a consistent cycle.",
            ],
            example: ":back 10", takesFiles: false),
        CommandSpec(
            name: "goto", usage: ":goto CYCLE",
            summary: "go to a cycle, forward (running, breakpoints aside) or back (as :back)",
            details: [
                "Forward it stops where the simulation ends, if that comes first, and says so."
            ],
            example: ":goto 120", takesFiles: false),
        CommandSpec(
            name: "break",
            usage:
                ":break [cycle N | color C | pe (x,y) | backpressure (x,y) [DIR] | delayed (x,y) [DIR] | delivery (x,y) [color C] | switch (x,y) [color C] | drop (x,y) [color C] | del N | clear]",
            summary: "stop :run and :step after the cycle in which something happens; alone, list the breakpoints",
            details: [
                "cycle N: on reaching cycle N. color C (a number or a playground color): a wavelet on C",
                "crosses a link or reaches a core. pe (x,y): its router moves a wavelet, its core sends or",
                "takes one, or one reaches it. backpressure / delayed (x,y) [DIR]: that router output (any",
                "without DIR) is Backpressure (destination full) or Delayed (output taken) in a cycle.",
                "delivery (x,y) [color C]: a wavelet reaches the core at (x,y). switch (x,y) [color C]: a",
                "switch there changes position (says from which to which, and by which command). drop (x,y)",
                "[color C]: a filter there keeps a data wavelet from its core (says which, and its index).",
                "`:break del N` deletes one, `:break clear` all. Breakpoints stay across :sim; :back and",
                ":goto do not stop at them.",
            ],
            example: ":break backpressure (1,0) EAST", takesFiles: false),
        CommandSpec(
            name: "pe", usage: ":pe X,Y",
            summary: "one PE: role, program position, routes, queues, buffers, wavelets received",
            details: [], example: ":pe 1,0", takesFiles: false),
        CommandSpec(
            name: "stats", usage: ":stats",
            summary: "cycles and time, per-PE busy %, per-link utilisation, Delayed and Backpressure counts",
            details: [
                "Link states in the SDK GUI's words: Active (moving), Delayed (waiting for a shared output),",
                "Backpressure (destination full).",
            ],
            example: ":stats", takesFiles: false),
        CommandSpec(
            name: "trace",
            usage: ":trace FILE [all | deliveries,hops,links,switches,drops] [--pes (x,y)..(x,y)] [--colors 0,3] [--cycles A..B] | :trace off",
            summary: "stream what the simulation does to a Chrome/Perfetto trace-event JSON file",
            details: [
                "What it records: deliveries (`deliver`, and `control` with entry point and argument), hops",
                "(`hop` per link crossed), links (Delayed/Backpressure runs per router output), switches",
                "(`switch` from/to/by, `teardown`, `reconfigure`), drops (`drop`: a filter kept a wavelet",
                "from its core). Default: deliveries,switches,drops (small for a whole run); `all` adds hops",
                "and links. Events are written as the simulation runs (:step, :run); the file is complete",
                "when the run finishes, on `:trace off`, `:reset` or when the session ends (:quit, Ctrl-D, the",
                "end of a script). `trace_limit` (100 MiB) caps the file: the trace stops there, its file",
                "complete, and says so. A :sim goes on tracing into the simulation it loads. Open it in",
                "ui.perfetto.dev.",
            ],
            example: ":trace /tmp/run.json all --colors 0", takesFiles: true),
        CommandSpec(
            name: "view", usage: ":view [NAME] [--frame] [--color N] [--cursor X,Y] [--ascii|--unicode] [--size COLSxROWS]",
            summary: "the full-screen fabric view (q returns); --frame prints one frame as text",
            details: [
                "Shows NAME's program on the fabric (PE assignment, the routes of one color) and, once",
                ":sim has loaded it, the wavelets moving: space/n step, N ten, r run, +/- speed,",
                "arrows/hjkl move, Tab next color, z zoom, ? help, q or Ctrl-C back to the prompt.",
                "Without NAME: the loaded simulation, else the playground, else the last tensor.",
                "--frame prints one frame (the terminal's size now; in scripts ASCII, $COLUMNS x $LINES or 120x40; --size, --color",
                "pick another size or the color whose routes are drawn; --cursor the PE the side panel describes).",
                "Switches show as the digit of their position now (the arrows are its rx/tx), # a torn-down router,",
                "% a router whose filter dropped wavelets, & (ASCII) a control wavelet; the side panel lists the",
                "payloads at the cursor's PE and its routes' switch positions, filter and drops, swap and teardown.",
            ],
            example: ":view s --frame", takesFiles: false),
        CommandSpec(
            name: "csl", usage: ":csl NAME [FILE] | :csl --playground [FILE]",
            summary: "print the CSL project of NAME's program (or one file of it)",
            details: [
                "The files :emit writes: layout.csl, one PE program per role (pe_program_N.csl), run.py and",
                "commands.sh, rendered from the templates (built-in, --templates DIR or `set templates DIR`)",
                "for the CSL of Cerebras SDK 1.4. FILE picks one of them. --playground: the routing playground's",
                "routes as a project (senders stream their values; receivers take what the simulation delivers).",
            ],
            example: ":csl s layout.csl", takesFiles: false),
        CommandSpec(
            name: "emit", usage: ":emit NAME [DIR] [--force] | :emit --playground [DIR] [--force]",
            summary: "write NAME's program as a CSL project folder (default out/NAME), then check it",
            details: [
                "Writes layout.csl, the PE programs, run.py (cs_python run.py --name out), commands.sh (the",
                "cslc and cs_python lines) and the .npy files run.py copies in and compares with. The folder",
                "is replaced atomically; one that is not empty and not written by :emit needs --force.",
                "The structural checker runs on the result; an error it finds fails the command.",
                "--playground writes the routing playground (default out/playground) for cslc the same way.",
            ],
            example: ":emit s out/s", takesFiles: true),
        CommandSpec(
            name: "check", usage: ":check DIR [--params K:V,...] [--colors K:C,...] [--arch wse2|wse3] [--sdk 1.4]",
            summary: "read a CSL project folder with the CSL front end and check it (emitted or hand-written)",
            details: [
                "Parses layout.csl and every file it imports, evaluates the layout as cslc does (--params as cslc's;",
                "--arch defaults to commands.sh's, else the target) and each PE's code, then checks: colors routable",
                "and not memcpy's (\(Architecture.memcpyColorsText)) when memcpy is imported, one task per ID, memcpy's task IDs and queues,",
                "WSE-3 @initialize_queue, each fabric DSD's route at every PE that runs it, memory DSDs inside their",
                "buffers, @export_symbol/@export_name pairs, memory per PE. Findings read `file:line:col: error: ...`",
                "with the line and a caret; what it cannot follow says `cannot check: ...`.",
            ],
            example: ":check out/s", takesFiles: true),
        CommandSpec(
            name: "open", usage: ":open DIR [--params K:V,...] [--colors K:C,...] [--arch wse2|wse3]",
            summary: "load a CSL project: its routes become a program for :routes, :colors, :pes, :view and :sim",
            details: [
                "Reads the project as :check does (without the checks). The program is named after the folder;",
                "commands without NAME use it until a tensor is defined. :pes lists which file and parameters each",
                "PE runs (rectangles of PEs alike); :sim runs its routes only (the PE programs' code is not run).",
            ],
            example: ":open out/s", takesFiles: true),
        CommandSpec(
            name: "compile", usage: ":compile [DIR]",
            summary: "run cslc on a project folder when a Cerebras SDK is present",
            details: [
                "cslc comes from $CEREBRAS_SDK_PATH/bin or $PATH; it runs with an argument vector:",
                "--arch=TARGET DIR/layout.csl --fabric-dims=W+7,H+2 --fabric-offsets=4,1 -o DIR/out --memcpy --channels=1",
                "Without DIR: the folder of the last :emit.",
            ],
            example: ":compile out/s", takesFiles: true),
        CommandSpec(
            name: "tiles", usage: ":tiles NAME [--limit N]",
            summary: "how NAME's value is split over the PEs of its layout",
            details: [
                "One line a PE (block-local coordinates, address order): the tile as NumPy slices, its",
                "elements and bytes, and the share of the PE data budget. --limit caps the lines (default 32).",
            ],
            example: ":tiles c", takesFiles: false),
        CommandSpec(
            name: "status", usage: ":status",
            summary: "target, fabric, tensors, changed settings, the playground and the loaded simulation",
            details: [], example: ":status", takesFiles: false),
        CommandSpec(
            name: "export", usage: ":export NAME FILE.npy [--sim]",
            summary: "write NAME's value (reference, or read back from the simulated fabric) as NumPy .npy",
            details: [
                "f32, f16, i32 and i16 are written as they are; bf16 (which NumPy lacks) as f32.",
                "--sim reads NAME back from the simulation loaded with :sim NAME.",
                "The file is written to a temporary name and renamed, so it is never half-written.",
            ],
            example: ":export c /tmp/c.npy", takesFiles: true),
        CommandSpec(
            name: "save", usage: ":save FILE.pfs",
            summary: "save the session's successful statements as a script",
            details: ["Settings, fabric, target and assignments are saved in order; `:load` replays them."],
            example: ":save session.pfs", takesFiles: true),
        CommandSpec(
            name: "load", usage: ":load FILE.pfs",
            summary: "replay a script in this session",
            details: [
                "Each statement is echoed with its output; the replay stops at the first error",
                "unless the file starts with `# pfs: keep-going`.",
            ],
            example: ":load examples/tour.pfs", takesFiles: true),
        CommandSpec(
            name: "undo", usage: ":undo",
            summary: "take back the routing playground's last statement",
            details: [
                "The playground goes back to how it was before its last color, route, send, on, unroute or",
                "unsend statement (up to 64 of them, newest first; fewer when they hold millions of routes);",
                "the statement leaves what :save writes.",
                "unroute NAME (x,y)[..(x,y)] and unsend NAME (x,y) take back routes and sends anywhere.",
            ],
            example: ":undo", takesFiles: false),
        CommandSpec(
            name: "reset", usage: ":reset",
            summary: "clear everything back to the defaults",
            details: ["Tensors, settings, fabric and target all return to a new session's."],
            example: ":reset", takesFiles: false),
        CommandSpec(
            name: "quit", usage: ":quit",
            summary: "leave the shell (Ctrl-D on an empty line also leaves)",
            details: [], example: ":quit", takesFiles: false),
    ]

    public static func spec(_ name: String) -> CommandSpec? {
        all.first { $0.name == name } ?? (name == "q" || name == "exit" ? spec("quit") : nil)
    }

    public static var names: [String] { all.map(\.name) }
}
