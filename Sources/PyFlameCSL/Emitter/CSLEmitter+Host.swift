import PyFlameIR
import PyFlameLowering

extension CSLEmitter {
    /// `run.py`, `commands.sh` and the `.npy` files `run.py` reads: each host input, the expected result and
    /// its per-element tolerance.
    func hostFiles(
        _ program: FabricProgram, name: String, symbols: HostSymbols, data: HostData,
        header: [String: Any]
    ) throws(EmitError) -> [CSLProject.File] {
        let rect = program.rectangle
        var files: [CSLProject.File] = []
        var inputs: [[String: Any]] = []
        var outputs: [[String: Any]] = []
        for s in symbols.all {
            let t = s.transfer
            let pieces = t.pieces.map { p in
                "(\(p.pe.x - rect.x), \(p.pe.y - rect.y), (" + p.tile.ranges.map { "(\($0.lowerBound), \($0.upperBound))" }.joined(separator: ", ")
                    + (p.tile.ranges.count == 1 ? ",))" : "))")
            }.joined(separator: ", ")
            let half = t.type.dtype.byteSize == 2 ? "True" : "False"
            let dtype = "np." + Self.numpyType(t.type.dtype)
            if s.isOutput {
                guard let value = data.outputs[t.source] else { throw EmitError(.missingReference(name: t.name)) }
                let expected = s.symbol + ".expected.npy", tolerance = s.symbol + ".tolerance.npy"
                files.append(CSLProject.File(name: expected, data: NPY.encode(value)))
                let tol = self.tolerance(program, value, data.tolerances[t.source])
                files.append(CSLProject.File(name: tolerance, data: NPY.encode(TensorValue(TensorType(value.shape, .f32), rounding: tol))))
                outputs.append([
                    "SYMBOL": PythonText.string(s.symbol), "SHAPE": PythonText.tuple(t.type.shape.dims), "DTYPE": dtype, "HALF": half,
                    "PIECES": pieces, "EXPECTED": PythonText.string(expected), "TOLERANCE": PythonText.string(tolerance),
                    "ORDER_FREE": (data.orderFree[t.source] ?? []).map { "(\($0.lowerBound), \($0.upperBound))" }.joined(separator: ", "),
                ])
            } else {
                guard let value = data.inputs[t.source] else { throw EmitError(.missingHostInput(name: t.name)) }
                let file = s.symbol + ".npy"
                files.append(CSLProject.File(name: file, data: NPY.encode(value)))
                inputs.append(["SYMBOL": PythonText.string(s.symbol), "FILE": PythonText.string(file), "DTYPE": dtype, "HALF": half, "PIECES": pieces])
            }
        }
        var run = header
        run["INPUTS"] = inputs
        run["OUTPUTS"] = outputs
        files.append(CSLProject.File(name: "run.py", text: try render("run.py", run)))
        files.append(CSLProject.File(name: "commands.sh", text: try render("commands.sh", header)))
        return files
    }

    /// Per-element tolerance of the result: the caller's (reductions, matmul), widened for the scalar
    /// transcendental functions (our exp/tanh are within a few ulps of the reference, not exact).
    private func tolerance(_ program: FabricProgram, _ value: TensorValue, _ given: [Double]?) -> [Double] {
        let values = value.elements
        var tol = given ?? [Double](repeating: 0, count: values.count)
        let usesTranscendental = program.ops.contains { Self.isTranscendental($0.pattern) }
        if usesTranscendental {
            let eps = value.dtype.isFloat ? value.dtype.epsilon : 0
            for i in tol.indices { tol[i] = Swift.max(tol[i], 8 * eps * Swift.abs(values[i]) + 1e-30) }
        }
        return tol
    }

    static func numpyType(_ t: DType) -> String {
        switch t {
        case .f32: return "float32"
        case .f16: return "float16"
        case .i32: return "int32"
        case .i16: return "int16"
        case .bf16: return "float32"
        }
    }
}

/// Python literals for `run.py`: no user text reaches it unescaped.
enum PythonText {
    /// A single-quoted Python string literal with every non-printable or non-ASCII character escaped.
    static func string(_ text: String) -> String {
        var out = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case " "..."~": out.unicodeScalars.append(scalar)
            default:
                let hex = String(scalar.value, radix: 16)
                out +=
                    scalar.value <= 0xFF
                    ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                    : scalar.value <= 0xFFFF
                        ? "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                        : "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
            }
        }
        return out + "'"
    }

    /// `(4, 4)`, `(4,)`, `()`.
    static func tuple(_ values: [Int]) -> String {
        values.count == 1 ? "(\(values[0]),)" : "(" + values.map(String.init).joined(separator: ", ") + ")"
    }
}
