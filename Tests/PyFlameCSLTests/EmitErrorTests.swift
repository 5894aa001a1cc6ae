import PyFlameIR
import PyFlameLowering
import Testing

@testable import PyFlameCSL

/// Every kind of emission refusal renders the message users read, made in one place from the kind's values.
@Suite struct EmitErrorTests {
    static let cases: [(EmitError.Kind, String)] = [
        (.interrupted, "interrupted: the emission was stopped before it finished"),
        (.bf16, "bf16 is not emitted: no SDK 1.4 example uses it (use f16 or f32)"),
        (.bf16Transfer(what: "w"), "w is bf16: SDK 1.4 has no bf16 memcpy or DSD operation in its examples, so it is not emitted (use f16 or f32)"),
        (
            .fabricMin,
            "a min over several PEs is not emitted: CSL has no DSD min instruction (Cerebras' own benchmarks negate, take the max, and negate again); use -max(-x)"
        ),
        (
            .fabricI32Sum,
            "an i32 sum over several PEs is not emitted: CSL's DSD integer arithmetic is 16-bit (@add16); use i16 or f32, or keep the reduced axis on one PE"
        ),
        (.fabricCombine(.max, .f16), "a max of f16 over several PEs is not emitted: SDK 1.4 shows no DSD instruction for it"),
        (.integerDivision, "integer div is not emitted: no SDK 1.4 example shows CSL's integer division; use f32"),
        (.needsFloat(.exp), "exp needs a floating-point tensor"),
        (.nonFiniteConstant(.infinity), "the constant inf is not finite; CSL has no literal for it"),
        (
            .missingResources(pe: PECoord(2, 1)),
            "PE (2,1) has fabric operations without queue or local task IDs: its program was changed after lowering; lower it again"
        ),
        (.unownedStep(pe: PECoord(0, 0), step: 3, node: 7), "step 3 of PE (0,0) computes for no lowered op (node %7)"),
        (
            .copyExtents(pe: PECoord(0, 0), step: 2, input: [4], output: [2, 2]),
            "PE (0,0) step 2 copies [4] elements into [2, 2]: the emitter needs equal extents"
        ),
        (.blockDimensions(pe: PECoord(0, 1), step: 3, dimensions: 5), "step 3 of PE (0,1) moves a 5-D block; DSDs have at most 4 dimensions"),
        (.sharedHostBuffer(pe: PECoord(0, 0), first: "in_a", second: "in_b"), "PE (0,0) holds host symbols in_a and in_b in one buffer"),
        (.missingReference(name: "c"), "no reference value for c"),
        (.missingHostInput(name: "a"), "no value for host input a"),
        (.template(reason: "x.template is missing"), "template x.template is missing"),
        (
            .emptyTemplate(template: "copy", step: 1, kind: "copy", file: "pe_0.csl"),
            "template copy.csl.template renders nothing for step 1 (copy) of pe_0.csl"
        ),
        (
            .keptFolder(folder: ".", kept: "/home/u"),
            ". holds /home/u (the working directory, the home folder or the script's folder): :emit never replaces it, even with --force; name a folder of its own (default out/NAME)"
        ),
        (.notAFolder(folder: "out/c"), "out/c is a file, not a folder"),
        (.notOurs(folder: "out/c"), "out/c is not empty and was not written by :emit (no \(CSLProject.markerName)); --force replaces it"),
        (
            .addedFiles(folder: "out/c", files: ["a", "b", "c", "d"]),
            "out/c holds files :emit did not write (a, b, c, ...); --force replaces them"
        ),
        (.cannotCreate(path: "/x", reason: "Permission denied"), "cannot create /x: Permission denied"),
        (.cannotWriteBeside(folder: "out/c", reason: "Read-only file system"), "cannot write the project beside out/c: Read-only file system"),
        (.cannotMoveAside(folder: "out/c", reason: "Busy"), "cannot move the old out/c aside: Busy"),
        (.cannotRename(folder: "out/c", reason: "Busy"), "cannot rename the new project into out/c: Busy"),
        (.write(reason: "cannot write out/c/layout.csl: No space left on device"), "cannot write out/c/layout.csl: No space left on device"),
    ]

    @Test(arguments: cases.indices)
    func eachKindRendersItsMessage(_ index: Int) {
        let (kind, message) = Self.cases[index]
        #expect(EmitError(kind).message == message)
    }
}
