import Foundation
import PyFlameIR
@testable import PyFlameShell
import Testing

/// Issue 14: `:emit --playground` writes a send's control wavelets through the `<control>` library (a
/// `fabout_dsd` with `.control = true` and `ctrl.encode_single_payload`, as topic-06 and topic-07 do), its
/// data in between in order; what it cannot write the way the simulation ran it is refused with the reason.
@Suite struct PlaygroundControlEmitTests {
    /// Runs the statements, emits, and returns the emit's output and the project's files (empty on failure).
    func emit(_ statements: [String]) throws -> (output: String, failed: Bool, files: [String: String]) {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shell = Shell(baseDirectory: root)
        for s in statements {
            let r = shell.execute(s)
            #expect(!r.failed, "\(s): \(r.text)")
        }
        let result = shell.execute(":emit --playground pg")
        var files: [String: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root + "/pg")) ?? [] where name.hasSuffix(".csl") {
            files[name] = try String(contentsOfFile: root + "/pg/" + name, encoding: .utf8)
        }
        return (result.text, result.failed, files)
    }

    static let topic06 = [
        "fabric 3x3", "color red = 0", "route red (1,1): RAMP -> NORTH switch tx WEST, tx EAST, tx SOUTH at 1 ring",
        "route red (0,1): EAST -> RAMP", "route red (2,1): WEST -> RAMP", "route red (1,0): SOUTH -> RAMP", "route red (1,2): NORTH -> RAMP",
        "send red (1,1) [advance ignore, 0, advance ignore, 2, advance ignore, 4, advance ignore, 6]",
    ]

    @Test func topic06sSenderWritesItsControlWaveletsThroughTheControlLibrary() throws {
        let (output, failed, files) = try emit(Self.topic06)
        #expect(!failed, "\(output)")
        let sender = files.values.first { $0.contains("(1,1).") } ?? ""
        #expect(sender.contains("const ctrl = @import_module(\"<control>\");"), "\(sender)")
        #expect(
            sender.contains(
                "const s0_0_ctrl = @get_dsd(fabout_dsd, .{ .fabric_color = @get_color(0), .extent = 1, .control = true, .output_queue = oq_0 });"),
            "\(sender)")
        let advance = "  @mov32(s0_0_ctrl, ctrl.encode_single_payload(ctrl.opcode.SWITCH_ADV, true, {}, 0));"
        #expect(sender.components(separatedBy: advance).count - 1 == 4, "\(sender)")
        // Control, data, control, data, ...: each data wavelet after the advance that points the switch.
        let order = ["wavelet 0: control", "wavelet 1: data", "b0[i + 1]", "wavelet 2: control", "wavelet 3: data", "b0[i + 3]", "wavelet 7: data"]
        var rest = Substring(sender)
        for piece in order {
            guard let r = rest.range(of: piece) else {
                Issue.record("\(piece) is missing or out of order in \(sender)")
                break
            }
            rest = rest[r.upperBound...]
        }
        #expect(sender.contains("  @activate(done_0_task_id);"))
        // The receivers read back the four data wavelets, one each; the control wavelets reach no core.
        #expect(files["layout.csl"]?.contains("tensor<4xi32>, read back from 4 PEs") == true, "\(files["layout.csl"] ?? "")")
        #expect(output.contains("cannot check: control: fabout_dsd `s0_0_ctrl` sends control wavelets;"), "\(output)")
        #expect(output.contains("checked: the checks pass"), "\(output)")
    }

    @Test func anEntryPointAndArgumentAreEncodedWithTheirControlTaskID() throws {
        let (output, failed, files) = try emit([
            "fabric 2x1", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> RAMP",
            "send red (0,0) [reset ignore task 40 arg 6, 7, nop ignore, teardown ignore task 40]",
        ])
        #expect(!failed, "\(output)")
        let sender = files.values.first { $0.contains("<control>") } ?? ""
        #expect(sender.contains("const control_task_40: control_task_id = @get_control_task_id(40);"), "\(sender)")
        #expect(sender.components(separatedBy: "@get_control_task_id(").count - 1 == 1, "one ID per entry point: \(sender)")
        #expect(sender.contains("ctrl.encode_single_payload(ctrl.opcode.SWITCH_RST, true, control_task_40, 6)"), "\(sender)")
        #expect(sender.contains("ctrl.encode_single_payload(ctrl.opcode.NOP, true, {}, 0)"), "\(sender)")
        #expect(sender.contains("ctrl.encode_single_payload(ctrl.opcode.TEARDOWN, true, control_task_40, 0)"), "\(sender)")
        #expect(output.contains("checked: the checks pass"), "\(output)")
    }

    @Test func topic07sReceiversRunTheControlTaskTheWaveletsName() throws {
        // topic-07: the control wavelets carry the data as their argument, and each neighbour's core runs
        // control task 40 with it.
        var statements = Array(Self.topic06.dropLast())
        statements.append("send red (1,1) [advance task 40 arg 0, advance task 40 arg 2, advance task 40 arg 4, advance task 40 arg 6]")
        let (output, failed, files) = try emit(statements)
        #expect(!failed, "\(output)")
        let receiver = files["pe_control_0.csl"] ?? ""
        #expect(receiver.contains("const control_task_40: control_task_id = @get_control_task_id(40);"), "\(files.keys.sorted()) \(receiver)")
        #expect(receiver.contains("task control_task_40_task(argument: u16) void {"), "\(receiver)")
        #expect(receiver.contains("  @bind_control_task(control_task_40_task, control_task_40);"), "\(receiver)")
        #expect(receiver.contains("if (@is_arch(\"wse3\")) @unblock(control_iq_0) else @unblock(@get_color(0));"), "\(receiver)")
        #expect(receiver.contains("@initialize_queue(control_iq_0, .{ .color = @get_color(0) });"), "\(receiver)")
        for (x, y) in [(1, 0), (0, 1), (2, 1), (1, 2)] {
            #expect(files["layout.csl"]?.contains("@set_tile_code(\(x), \(y), \"pe_control_0.csl\"") == true, "\(files["layout.csl"] ?? "")")
        }
        #expect(output.contains("checked: the checks pass"), "\(output)")
    }

    @Test func aCoreTakingDataAndControlOnOneColorIsRefusedWithTheReason() throws {
        let (output, failed, files) = try emit([
            "fabric 2x1", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> RAMP", "send red (0,0) [nop task 40 arg 2, 7]",
        ])
        #expect(failed)
        #expect(
            output.contains(
                "cannot emit the playground: the core at (1,0) takes data and control wavelets on red; a receiver of both on one color is not emitted yet"
            ), "\(output)")
        #expect(files.isEmpty)
    }

    @Test func aControlWaveletACoreTakesWithoutAnEntryPointIsRefused() throws {
        let (output, failed, _) = try emit([
            "fabric 2x1", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> RAMP", "send red (0,0) [nop]",
        ])
        #expect(failed)
        #expect(
            output.contains("cannot emit the playground: a control wavelet on red reaches the core at (1,0) without a control task entry point"),
            "\(output)")
    }

    @Test func aControlWaveletOfSeveralCommandsIsRefused() throws {
        let (output, failed, _) = try emit([
            "fabric 3x1", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> EAST switch tx EAST",
            "route red (2,0): WEST -> RAMP", "send red (0,0) [advance ignore advance ignore, 5]",
        ])
        #expect(failed)
        #expect(
            output.contains(
                "cannot emit the playground: wavelet 0 that (0,0) sends on color 0 is a control wavelet of 2 commands; the emitter writes control wavelets with the <control> library's encode_single_payload"
            ), "\(output)")
    }

    @Test func sendersOfOneShapeWithControlAtDifferentPlacesGetAFileEach() throws {
        let (output, failed, files) = try emit([
            "fabric 2x2", "color red = 0", "route red (0,0): RAMP -> EAST", "route red (1,0): WEST -> RAMP",
            "route red (0,1): RAMP -> EAST", "route red (1,1): WEST -> RAMP", "send red (0,0) [advance ignore, 1, 2]",
            "send red (0,1) [3, advance ignore, 4]",
        ])
        #expect(!failed, "\(output)")
        let senders = files.filter { $0.value.contains("<control>") }
        #expect(senders.count == 2, "\(files.keys.sorted())")
        let first = senders.values.first { $0.contains("(0,0).") } ?? ""
        let second = senders.values.first { $0.contains("(0,1).") } ?? ""
        #expect(first.contains("// wavelet 0: control") && first.contains("// wavelets 1 to 2: data"), "\(first)")
        #expect(second.contains("// wavelet 0: data") && second.contains("// wavelet 1: control"), "\(second)")
        #expect(output.contains("checked: the checks pass"), "\(output)")
    }
}
