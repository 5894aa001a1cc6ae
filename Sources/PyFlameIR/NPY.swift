import Foundation

/// NumPy `.npy` files (format 1.0 written; 1.0, 2.0 and 3.0 read): f32, f16, i32 and i16 in either byte
/// order, C or Fortran order. bf16 has no NumPy dtype: it is written as f32 (the caller says so).
public enum NPY {
    /// Bytes of a `.npy` file holding `value`; bf16 is widened to f32.
    public static func encode(_ value: TensorValue) -> [UInt8] {
        let descr: String
        switch value.dtype {
        case .f32, .bf16: descr = "<f4"
        case .f16: descr = "<f2"
        case .i32: descr = "<i4"
        case .i16: descr = "<i2"
        }
        let dims = value.shape.dims
        let shapeText = dims.isEmpty ? "()" : dims.count == 1 ? "(\(dims[0]),)" : "(" + dims.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        // Pad so that magic(6) + version(2) + length + header + "\n" is a multiple of 64. Format 1.0 has a
        // 2-byte length; a header longer than that (a very high rank) is written as format 2.0 (4 bytes).
        let wide = 10 + header.utf8.count + 1 + 63 > Int(UInt16.max)
        let unpadded = (wide ? 12 : 10) + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [wide ? 2 : 1, 0]
        let length = UInt32(truncatingIfNeeded: header.utf8.count)
        bytes += (0..<(wide ? 4 : 2)).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
        bytes += Array(header.utf8)
        bytes.reserveCapacity(bytes.count + value.elements.count * 4)
        for x in value.elements {
            switch value.dtype {
            case .f32, .bf16: append(&bytes, Float(x).bitPattern)
            case .f16: append(&bytes, Float16(Float(x)).bitPattern)
            case .i32: append(&bytes, UInt32(bitPattern: integer(x, Int32.self)))
            case .i16: append(&bytes, UInt16(bitPattern: integer(x, Int16.self)))
            }
        }
        return bytes
    }

    /// An integer element as stored: rounded toward zero and clamped to the type (NaN is 0), never a trap.
    private static func integer<T: FixedWidthInteger>(_ x: Double, _: T.Type) -> T {
        guard !x.isNaN else { return 0 }
        if x <= Double(T.min) { return T.min }
        if x >= Double(T.max) { return T.max }
        return T(x)
    }

    private static func append<T: FixedWidthInteger>(_ bytes: inout [UInt8], _ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Decodes a `.npy` file, refusing (with the reason) anything that is not one of the four dtypes or
    /// whose size does not match its header. `limit` caps the element count before anything is allocated.
    public static func decode(_ data: [UInt8], limit: Int = Int.max) throws(IRError) -> TensorValue {
        guard data.count >= 10, data[0] == 0x93, Array(data[1..<6]) == Array("NUMPY".utf8) else {
            throw IRError("not a NumPy .npy file (no \\x93NUMPY magic)")
        }
        let major = data[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(data[8]) | Int(data[9]) << 8
            headerStart = 10
        case 2, 3:
            guard data.count >= 12 else { throw IRError("truncated .npy header") }
            headerLength = Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24
            headerStart = 12
        default:
            throw IRError("unsupported .npy format version \(major).\(data[7])")
        }
        guard headerStart + headerLength <= data.count else { throw IRError("truncated .npy header") }
        let header = String(decoding: data[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = field("descr", in: header), let order = field("fortran_order", in: header),
            let shapeText = field("shape", in: header)
        else {
            throw IRError("malformed .npy header: \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let descrValue = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        guard descrValue.count >= 3 else { throw IRError("malformed .npy dtype '\(descrValue)'") }
        let byteOrder = descrValue.first!
        let kind = String(descrValue.dropFirst())
        let dtype: DType
        switch kind {
        case "f4": dtype = .f32
        case "f2": dtype = .f16
        case "i4": dtype = .i32
        case "i2": dtype = .i16
        default:
            let names = ["f8": "float64", "i8": "int64", "i1": "int8", "u1": "uint8", "b1": "bool", "u2": "uint16", "u4": "uint32", "u8": "uint64"]
            let name = names[kind].map { "\($0) (\(descrValue))" } ?? "'\(descrValue)'"
            throw IRError(".npy holds \(name); pyflame-shell reads f32, f16, i32 and i16 (convert with arr.astype(np.float32))")
        }
        guard byteOrder == "<" || byteOrder == ">" || byteOrder == "|" || byteOrder == "=" else {
            throw IRError("malformed .npy dtype '\(descrValue)'")
        }
        let bigEndian = byteOrder == ">"
        let fortran = order.trimmingCharacters(in: .whitespaces) == "True"
        let inner = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
        var dims: [Int] = []
        for part in inner.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let d = Int(t), d >= 0 else { throw IRError("malformed .npy shape \(shapeText)") }
            dims.append(d)
        }
        let shape = try Shape.checked(dims)
        let count = shape.elementCount
        guard count <= limit else {
            throw IRError("shape \(shape) has \(count == Int.max ? "too many" : String(count)) elements, over the host limit of \(limit) (set host_limit)")
        }
        let start = headerStart + headerLength
        let size = dtype.byteSize
        let (needed, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, data.count - start == needed else {
            throw IRError(".npy data is \(data.count - start) bytes, its header \(dtype) \(shape.dims) needs \(overflow ? "more" : String(needed))")
        }
        var elements = [Double](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            for i in 0..<count {
                let at = start + i * size
                var bits: UInt32 = 0
                for b in 0..<size {
                    let byte = UInt32(raw[at + (bigEndian ? size - 1 - b : b)])
                    bits |= byte << (8 * UInt32(b))
                }
                switch dtype {
                case .f32: elements[i] = Double(Float(bitPattern: bits))
                case .f16: elements[i] = Double(Float(Float16(bitPattern: UInt16(bits))))
                case .i32: elements[i] = Double(Int32(bitPattern: bits))
                case .i16: elements[i] = Double(Int16(bitPattern: UInt16(bits)))
                case .bf16: break
                }
            }
        }
        if fortran && shape.rank >= 2 {
            // Column-major on disk: element (i0, i1, ...) at sum(i_k * prod(d_0..d_{k-1})).
            var reordered = [Double](repeating: 0, count: count)
            let strides = shape.strides
            var coordinates = [Int](repeating: 0, count: shape.rank)
            for flat in 0..<count {
                var rest = flat, f = 0, step = 1
                for d in 0..<shape.rank { coordinates[d] = rest / strides[d]; rest %= strides[d] }
                for d in 0..<shape.rank { f += coordinates[d] * step; step *= dims[d] }
                reordered[flat] = elements[f]
            }
            elements = reordered
        }
        return TensorValue(TensorType(shape, dtype), exact: elements)
    }

    /// The text of one key of the header dict (`'descr': '<f4'` → `'<f4'`).
    private static func field(_ key: String, in header: String) -> String? {
        guard let keyRange = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else { return nil }
        var rest = header[keyRange.upperBound...].drop(while: { $0 == " " })
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop(while: { $0 == " " })
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else { return nil }
            return String(rest[...close])
        }
        let end = rest.firstIndex(where: { $0 == "," || $0 == "}" }) ?? rest.endIndex
        return String(rest[..<end]).trimmingCharacters(in: .whitespaces)
    }
}
