import Foundation
import PyFlameIR
import Testing

// NumPy .npy I/O: files written by numpy itself (Golden/*.npy, described by Golden/npy-expected.json) must decode
// to the right dtype, shape and bits; what NPY.encode writes must decode back unchanged and hold the same data
// bytes numpy writes; anything else is refused with a reason, never a crash.

struct NPYExpectedFile: Decodable, Sendable, CustomTestStringConvertible {
    var file: String
    var dtype: String
    var shape: [Int]
    var data: [String]
    var testDescription: String { file }
}

struct NPYRefusedFile: Decodable, Sendable, CustomTestStringConvertible {
    var file: String
    var contains: String
    var testDescription: String { file }
}

struct NPYGolden: Decodable {
    var files: [NPYExpectedFile]
    var refused: [NPYRefusedFile]

    static func load() throws -> NPYGolden { try Golden.decode(NPYGolden.self, from: "npy-expected.json") }
}

/// Splits a version-1.0 .npy file into its header text and its data bytes.
private func npyParts(_ bytes: [UInt8]) throws -> (header: String, data: [UInt8]) {
    try #require(bytes.count >= 10 && bytes[6] == 1)
    let length = Int(bytes[8]) | Int(bytes[9]) << 8
    try #require(10 + length <= bytes.count)
    return (String(decoding: bytes[10..<(10 + length)], as: UTF8.self), Array(bytes[(10 + length)...]))
}

/// A version-1.0 header around `data`, padded as numpy pads it.
private func npyFile(header dict: String, data: [UInt8] = [], major: UInt8 = 1) -> [UInt8] {
    var header = dict
    let prefix = major == 1 ? 10 : 12
    header += String(repeating: " ", count: (64 - (prefix + header.utf8.count + 1) % 64) % 64) + "\n"
    let n = header.utf8.count
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0, UInt8(n & 0xFF), UInt8(n >> 8)]
    if major != 1 { bytes += [0, 0] }
    return bytes + Array(header.utf8) + data
}

private func expectRefused(
    _ bytes: [UInt8], limit: Int = Int.max, _ fragment: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = #expect(throws: IRError.self, sourceLocation: sourceLocation) {
        _ = try NPY.decode(bytes, limit: limit)
    }
    #expect(
        error?.message.contains(fragment) == true, "\(error?.message ?? "no error") lacks '\(fragment)'",
        sourceLocation: sourceLocation)
}

@Suite struct NPYTests {
    // MARK: Files numpy wrote

    @Test("decodes what numpy wrote", arguments: try NPYGolden.load().files)
    func decodesNumPyFile(_ expected: NPYExpectedFile) throws {
        let value = try NPY.decode(try Golden.bytes(expected.file))
        #expect(value.dtype == DType(rawValue: expected.dtype))
        #expect(value.shape.dims == expected.shape)
        let want = try Golden.doubles(expected.data)
        try #require(value.elements.count == want.count)
        for (i, (got, w)) in zip(value.elements, want).enumerated() {
            #expect(Golden.sameBits(got, w), "\(expected.file)[\(i)]: \(Golden.show(got)) vs \(Golden.show(w))")
        }
    }

    @Test func goldenSetHasEveryKindOfFile() throws {
        let golden = try NPYGolden.load()
        let names = golden.files.map(\.file)
        for dtype in ["f32", "f16", "i32", "i16"] { #expect(golden.files.contains { $0.dtype == dtype }) }
        #expect(names.contains { $0.hasPrefix("fortran") })
        #expect(names.contains { $0.hasPrefix("bigendian") })
        #expect(golden.refused.contains { $0.contains == "float64" })
        // The Fortran file really is column-major and the big-endian one really is big-endian.
        let fortran = try npyParts(try Golden.bytes("fortran-f32-2x3x4.npy")).header
        #expect(fortran.contains("'fortran_order': True"))
        let big = try npyParts(try Golden.bytes("bigendian-f32-5.npy")).header
        #expect(big.contains("'>f4'"))
    }

    @Test("refuses dtypes a PE cannot hold", arguments: try NPYGolden.load().refused)
    func refusesNumPyFile(_ refused: NPYRefusedFile) throws {
        let bytes = try Golden.bytes(refused.file)
        expectRefused(bytes, refused.contains)
        expectRefused(bytes, "reads f32, f16, i32 and i16")
    }

    @Test func fortranOrderIsReorderedToRowMajor() throws {
        // numpy wrote arange(24).reshape(2, 3, 4) * 0.5 - 3 in column-major order.
        let value = try NPY.decode(try Golden.bytes("fortran-f32-2x3x4.npy"))
        #expect(value.elements == (0..<24).map { Double($0) * 0.5 - 3 })
        // On disk the second element is (1, 0, 0), i.e. row-major index 12.
        let data = try npyParts(try Golden.bytes("fortran-f32-2x3x4.npy")).data
        let second = Float(bitPattern: UInt32(data[4]) | UInt32(data[5]) << 8 | UInt32(data[6]) << 16 | UInt32(data[7]) << 24)
        #expect(Double(second) == value.elements[12])
    }

    // MARK: Encoding

    @Test("encodes the data bytes numpy writes", arguments: ["f32-2x3.npy", "f16-5.npy", "i32-2x2.npy", "i16-3.npy", "scalar-f32.npy"])
    func encodesLikeNumPy(_ file: String) throws {
        let numpyBytes = try Golden.bytes(file)
        let value = try NPY.decode(numpyBytes)
        let encoded = NPY.encode(value)
        let (header, data) = try npyParts(encoded)
        let (numpyHeader, numpyData) = try npyParts(numpyBytes)
        #expect(data == numpyData)
        // Same header dict (numpy pads further, for in-place growth), aligned to 64 bytes and ending in a newline.
        #expect(header.trimmingCharacters(in: .whitespacesAndNewlines) == numpyHeader.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect((10 + header.utf8.count) % 64 == 0)
        #expect(header.hasSuffix("\n"))
        #expect(Array(encoded[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
    }

    static let roundTripValues: [TensorValue] = [
        TensorValue(TensorType([2, 3], .f32), exact: [1.5, -0.0, .nan, .infinity, 0x1p-149, Double(Float.greatestFiniteMagnitude)]),
        TensorValue(TensorType([5], .f16), exact: [65504, -0.0, 0x1p-24, -.infinity, DType.f16.round(0.1)]),
        TensorValue(TensorType([2, 2], .i32), exact: [Double(Int32.min), Double(Int32.max), 0, -7]),
        TensorValue(TensorType([1, 3], .i16), exact: [Double(Int16.min), Double(Int16.max), 12]),
        TensorValue(TensorType([], .f32), exact: [7.25]),
        TensorValue(TensorType([2, 2, 2], .f16), rounding: (0..<8).map { Double($0) / 3 }),
    ]

    @Test("round-trips through a file", arguments: roundTripValues)
    func roundTripsThroughAFile(_ value: TensorValue) throws {
        let directory = try Golden.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("value.npy")
        try Data(NPY.encode(value)).write(to: url)
        let back = try NPY.decode([UInt8](try Data(contentsOf: url)))
        #expect(back.type == value.type)
        #expect(back.elements.count == value.elements.count)
        #expect(zip(back.elements, value.elements).allSatisfy { Golden.sameBits($0, $1) })
    }

    @Test func bf16IsWrittenAsF32() throws {
        let value = TensorValue(TensorType([3], .bf16), rounding: [1 / 3, -257, 3e38])
        let bytes = NPY.encode(value)
        #expect(try npyParts(bytes).header.contains("'descr': '<f4'"))
        let back = try NPY.decode(bytes)
        #expect(back.dtype == .f32)
        #expect(back.elements == value.elements)
        #expect(back.elements == [DType.bf16.round(1 / 3), -256, DType.bf16.round(3e38)])
    }

    // MARK: Refusals

    @Test func hostLimitIsCheckedBeforeReading() throws {
        let bytes = try Golden.bytes("f32-2x3.npy")
        expectRefused(bytes, limit: 5, "over the host limit of 5")
        #expect(try NPY.decode(bytes, limit: 6).shape == Shape([2, 3]))
        // A header claiming a huge shape is refused by the limit without allocating anything.
        expectRefused(
            npyFile(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 1000000), }"),
            limit: 256 << 20, "host limit")
    }

    @Test func refusesMalformedFiles() throws {
        let good = try Golden.bytes("i32-2x2.npy")
        expectRefused(Array("not numpy".utf8) + [0, 0, 0], "magic")
        expectRefused(Array(good.dropLast()), ".npy data is 15 bytes")
        expectRefused(good + [0], ".npy data is 17 bytes")
        var version = good
        version[6] = 4
        expectRefused(version, "unsupported .npy format version 4.0")
        expectRefused(Array(good.prefix(40)), "truncated .npy header")
        expectRefused(npyFile(header: "{'descr': '<f4', 'shape': (2,), }", data: [UInt8](repeating: 0, count: 8)), "malformed .npy header")
        expectRefused(npyFile(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }"), "malformed .npy shape")
        expectRefused(npyFile(header: "{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }"), "'<U3'")
        expectRefused(npyFile(header: "{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }"), "uint16")
    }

    @Test func hugeShapeWithoutALimitIsRefusedNotTrapped() {
        // Dimensions over the language's limit are refused before any product is formed; a product
        // that overflows (each dimension in range) must not overflow the byte count.
        expectRefused(
            npyFile(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904,), }"), "shape dimension 4611686018427387904 is too large")
        expectRefused(
            npyFile(header: "{'descr': '<i2', 'fortran_order': False, 'shape': (4294967296, 4294967296), }"), "shape dimension 4294967296 is too large")
        expectRefused(npyFile(header: "{'descr': '<i2', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647), }"), ".npy data is 0 bytes")
    }

    @Test func shapesFollowTheLanguagesRules() {
        // A zero dimension (even beside huge ones) and more than 64 dimensions are refused, as the language refuses them.
        expectRefused(npyFile(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }"), "shape dimensions must be at least 1, not 0")
        expectRefused(
            npyFile(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 9223372036854775807, 9223372036854775807), }"),
            "shape dimensions must be at least 1, not 0")
        let deep = "(" + Array(repeating: "1", count: 65).joined(separator: ", ") + ")"
        expectRefused(
            npyFile(header: "{'descr': '<f4', 'fortran_order': False, 'shape': \(deep), }", data: [0, 0, 0x80, 0x3F]),
            "shape has 65 dimensions, over the limit of 64")
    }

    @Test func readsFormatVersion2AndNativeByteOrder() throws {
        let data: [UInt8] = [1, 0, 0xFF, 0xFF]
        let v2 = npyFile(header: "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", data: data, major: 2)
        #expect(try NPY.decode(v2).elements == [1, -1])
        let native = npyFile(header: "{'descr': '=i2', 'fortran_order': False, 'shape': (2,), }", data: data)
        #expect(try NPY.decode(native).elements == [1, -1])
        let big = npyFile(header: "{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }", data: data)
        #expect(try NPY.decode(big).elements == [256, -1])
    }
}
