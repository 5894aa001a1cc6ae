import PyFlameIR
import PyFlameLowering

extension CSLCheckRun {
    // MARK: Every PE of the rectangle has code

    /// `cslc` places code on every PE of `@set_rectangle(W, H)`: a PE without `@set_tile_code` is an error
    /// at the rectangle, naming the PEs as rectangles.
    mutating func tileCoverage() {
        let rect = project.rectangle
        guard rect.width > 0, rect.height > 0, project.codeOfPE.count < rect.width * rect.height else { return }
        var missing: [PECoord] = []
        for y in rect.y..<(rect.y + rect.height) {
            for x in rect.x..<(rect.x + rect.width) {
                if poll() { return }
                if project.codeOfPE[PECoord(x, y)] == nil { missing.append(PECoord(x, y)) }
            }
        }
        guard !missing.isEmpty else { return }
        if let library = project.opaqueLayoutLibrary {
            // A library the front end does not model (fft's `<kernels/fft/...>`) may place the code itself.
            cannotCheck(
                "\(PERectangleCover.named(missing)) of the \(rect.width)x\(rect.height) rectangle get no @set_tile_code the front end can see; the layout calls \(library), which it does not model",
                at: project.rectangleSite)
            return
        }
        error(
            "\(PERectangleCover.named(missing)) of the \(rect.width)x\(rect.height) rectangle \(missing.count == 1 ? "has" : "have") no @set_tile_code: every PE of the rectangle runs code (an idle one a program that only returns)",
            at: project.rectangleSite)
    }
}
