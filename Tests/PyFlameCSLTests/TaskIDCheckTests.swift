import Foundation
import Testing
@testable import PyFlameCSL

/// Item 26 in the checker: on WSE-2 a local task ID must be no color the PE's route delivers to its core.
@Suite struct TaskIDCheckTests {
    /// The row broadcast on color 9, with a local task 9 in the receivers, for `arch`.
    func project(arch: String?) throws -> String {
        let folder = try editableFixture("row_broadcast")
        try edit(folder, "layout.csl", "const bcast: color = @get_color(0);", "const bcast: color = @get_color(9);")
        try edit(
            folder, "recv.csl", "const in_q = @get_input_queue(2);", "const in_q = @get_input_queue(2);\nconst t_id: local_task_id = @get_local_task_id(9);")
        if let arch {
            try "cslc --arch=\(arch) ./layout.csl --fabric-dims=11,3 --fabric-offsets=4,1 -o out --memcpy --channels=1\n"
                .write(toFile: folder + "/commands.sh", atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test func onWSE2ALocalTaskIDThatIsAColorReachingTheCoreIsAnError() throws {
        let folder = try project(arch: "wse2")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let r = CSLChecker().check(folder: folder)
        #expect(
            rendered(r).contains(
                "recv.csl:12: @get_local_task_id(9) at PE (1, 0), (2, 0), (3, 0): on WSE-2 color 9 reaches this PE's core (layout.csl:13) and activates task 9; use a local task ID that is no such color"
            ), "\(rendered(r))")
    }

    @Test func onWSE3OrWithoutATargetItIsNotFlagged() throws {
        for arch in ["wse3", nil] {
            let folder = try project(arch: arch)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let r = CSLChecker().check(folder: folder)
            #expect(rendered(r) == [], "\(arch ?? "no commands.sh"): \(rendered(r))")
        }
    }
}
