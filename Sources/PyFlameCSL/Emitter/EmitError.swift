import PyFlameIR
import PyFlameLowering

/// Something the emitter refuses to write, with the reason (never a silent fallback): a ``Kind`` with the PE,
/// step, color count or file it is about, and the message rendered from it (here and nowhere else).
public struct EmitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the emitter refuses, with the values the message names.
    public enum Kind: Sendable, Equatable {
        /// The emission was asked to stop (Ctrl-C) before it finished.
        case interrupted
        // ---- Operations SDK 1.4 shows no instruction for.
        /// bf16 data (no SDK 1.4 example uses it).
        case bf16
        /// A host transfer of bf16 data; `what` names the tensor as `:graph` shows it.
        case bf16Transfer(what: String)
        /// A min combined over several PEs (no DSD min).
        case fabricMin
        /// An i32 sum combined over several PEs (DSD integer arithmetic is 16-bit).
        case fabricI32Sum
        /// Another combination over several PEs with no DSD instruction.
        case fabricCombine(Combine, DType)
        case integerDivision
        /// A unary function integer tensors do not have.
        case needsFloat(UnaryFunction)
        case nonFiniteConstant(Double)
        // ---- Shapes of the program the emitter cannot write (the lowering never makes them).
        case copyExtents(pe: PECoord, step: Int, input: [Int], output: [Int])
        case blockDimensions(pe: PECoord, step: Int, dimensions: Int)
        case sharedHostBuffer(pe: PECoord, first: String, second: String)
        case missingReference(name: String)
        /// A PE program without the queue and task IDs the lowering assigns (changed after lowering).
        case missingResources(pe: PECoord)
        /// A compute step that belongs to no lowered op.
        case unownedStep(pe: PECoord, step: Int, node: NodeID?)
        case missingHostInput(name: String)
        // ---- Routing the target cannot configure, and control wavelets <control> cannot write.
        /// A route the target cannot configure (`RouteConfig.refusal(on:)` gives the reason).
        case route(reason: String)
        /// A control wavelet with several commands: `encode_single_payload` carries one.
        case controlCommands(pe: PECoord, color: ColorID, wavelet: Int, commands: Int)
        /// PEs of one program role that send control wavelets at different places of their streams.
        case controlLayout(pe: PECoord, other: PECoord)
        // ---- Templates.
        case template(reason: String)
        case emptyTemplate(template: String, step: Int, kind: String, file: String)
        // ---- Writing the project folder.
        /// The folder holds a folder :emit never replaces (working directory, home, the script's folder).
        case keptFolder(folder: String, kept: String)
        case notAFolder(folder: String)
        case notOurs(folder: String)
        case addedFiles(folder: String, files: [String])
        case cannotCreate(path: String, reason: String)
        case cannotWriteBeside(folder: String, reason: String)
        case cannotMoveAside(folder: String, reason: String)
        case cannotRename(folder: String, reason: String)
        /// A file write failed (the write path's own message).
        case write(reason: String)
    }

    public var kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    /// The emission was asked to stop (Ctrl-C) before it finished; nothing was made.
    public static let interrupted = EmitError(.interrupted)

    public var description: String { message }

    /// The message, rendered from the kind.
    public var message: String {
        switch kind {
        case .interrupted:
            return "interrupted: the emission was stopped before it finished"
        case .bf16:
            return "bf16 is not emitted: no SDK 1.4 example uses it (use f16 or f32)"
        case .bf16Transfer(let what):
            return "\(what) is bf16: SDK 1.4 has no bf16 memcpy or DSD operation in its examples, so it is not emitted (use f16 or f32)"
        case .fabricMin:
            return
                "a min over several PEs is not emitted: CSL has no DSD min instruction (Cerebras' own benchmarks negate, take the max, and negate again); use -max(-x)"
        case .fabricI32Sum:
            return
                "an i32 sum over several PEs is not emitted: CSL's DSD integer arithmetic is 16-bit (@add16); use i16 or f32, or keep the reduced axis on one PE"
        case .fabricCombine(let c, let t):
            return "a \(c.rawValue) of \(t) over several PEs is not emitted: SDK 1.4 shows no DSD instruction for it"
        case .integerDivision:
            return "integer div is not emitted: no SDK 1.4 example shows CSL's integer division; use f32"
        case .needsFloat(let f):
            return "\(f.rawValue) needs a floating-point tensor"
        case .nonFiniteConstant(let v):
            return "the constant \(v) is not finite; CSL has no literal for it"
        case .copyExtents(let pe, let step, let input, let output):
            return "PE \(pe) step \(step) copies \(input) elements into \(output): the emitter needs equal extents"
        case .blockDimensions(let pe, let step, let dimensions):
            return "step \(step) of PE \(pe) moves a \(dimensions)-D block; DSDs have at most 4 dimensions"
        case .sharedHostBuffer(let pe, let first, let second):
            return "PE \(pe) holds host symbols \(first) and \(second) in one buffer"
        case .missingReference(let name):
            return "no reference value for \(name)"
        case .missingResources(let pe):
            return "PE \(pe) has fabric operations without queue or local task IDs: its program was changed after lowering; lower it again"
        case .unownedStep(let pe, let step, let node):
            return "step \(step) of PE \(pe) computes for no lowered op" + (node.map { " (node %\($0))" } ?? "")
        case .missingHostInput(let name):
            return "no value for host input \(name)"
        case .route(let reason):
            return reason
        case .controlCommands(let pe, let color, let wavelet, let commands):
            return
                "wavelet \(wavelet) that \(pe) sends on color \(color) is a control wavelet of \(commands) commands; the emitter writes control wavelets with the <control> library's encode_single_payload (as the topic-06 and topic-07 tutorials do), which carries one: send one command per control wavelet"
        case .controlLayout(let pe, let other):
            return
                "\(pe) and \(other) run one PE program but send control wavelets at different places of their streams; give them different streams (a PE program writes its control wavelets in its code)"
        case .template(let reason):
            return "template \(reason)"
        case .emptyTemplate(let template, let step, let kind, let file):
            return "template \(template).csl.template renders nothing for step \(step) (\(kind)) of \(file)"
        case .keptFolder(let folder, let kept):
            return
                "\(folder) holds \(kept) (the working directory, the home folder or the script's folder): :emit never replaces it, even with --force; name a folder of its own (default out/NAME)"
        case .notAFolder(let folder):
            return "\(folder) is a file, not a folder"
        case .notOurs(let folder):
            return "\(folder) is not empty and was not written by :emit (no \(CSLProject.markerName)); --force replaces it"
        case .addedFiles(let folder, let files):
            return
                "\(folder) holds files :emit did not write (\(files.prefix(3).joined(separator: ", "))\(files.count > 3 ? ", ..." : "")); --force replaces them"
        case .cannotCreate(let path, let reason):
            return "cannot create \(path): \(reason)"
        case .cannotWriteBeside(let folder, let reason):
            return "cannot write the project beside \(folder): \(reason)"
        case .cannotMoveAside(let folder, let reason):
            return "cannot move the old \(folder) aside: \(reason)"
        case .cannotRename(let folder, let reason):
            return "cannot rename the new project into \(folder): \(reason)"
        case .write(let reason):
            return reason
        }
    }
}
