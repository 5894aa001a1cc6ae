import Foundation
import PyFlameIR

/// The committed golden files of `scripts/make-golden-vectors.py`, found next to this source file
/// (through `#filePath`, so neither resources nor the working directory matter).
enum Golden {
    static let directory: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden", isDirectory: true)

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: url(name))) }

    static func decode<T: Decodable>(_ type: T.Type, from name: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(contentsOf: url(name)))
    }

    /// A float64 written as the 16 hex digits of its bit pattern.
    static func double(_ hex: String) throws -> Double {
        guard hex.count == 16, let bits = UInt64(hex, radix: 16) else { throw GoldenFormatError("bad float64 hex '\(hex)'") }
        return Double(bitPattern: bits)
    }

    static func doubles(_ hex: [String]) throws -> [Double] { try hex.map(double) }

    /// Same value bit for bit (so -0 differs from +0); any NaN equals any NaN.
    static func sameBits(_ a: Double, _ b: Double) -> Bool {
        (a.isNaN && b.isNaN) || a.bitPattern == b.bitPattern
    }

    /// Readable form of a double that shows -0, nan and the bits.
    static func show(_ x: Double) -> String { "\(x) (0x\(String(x.bitPattern, radix: 16)))" }

    /// A unique scratch directory under the system temp directory; removed by `cleanUp`.
    static func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("pyflame-ir-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

struct GoldenFormatError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A tensor in a golden file: shape and row-major float64 bit patterns.
struct GoldenTensor: Decodable, Sendable {
    var shape: [Int]
    var data: [String]

    func values() throws -> [Double] { try Golden.doubles(data) }

    func value(_ dtype: DType) throws -> TensorValue {
        let values = try values()
        guard values.count == Shape(shape).elementCount else { throw GoldenFormatError("\(shape) holds \(values.count) values") }
        return TensorValue(TensorType(Shape(shape), dtype), exact: values)
    }
}
