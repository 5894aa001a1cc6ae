import PyFlameIR

/// The CSL dialect a project is read as: SDK 1.4's (`--sdk 1.4`, the default). Spellings of another
/// dialect are errors that name the dialect being read.
public enum CSLDialect: String, Sendable, CaseIterable {
    case sdk14 = "1.4"

    /// How the dialect reads in messages: `SDK 1.4`.
    public var displayName: String { "SDK \(rawValue)" }
}

/// What `cslc` takes for a project: `--params`, `--colors`, `--fabric-dims`, `--fabric-offsets`, `--arch`, plus our
/// `--sdk` (the dialect). Other `cslc` flags (`-o`, `--memcpy`, `--channels`, `--width-west-buf` ...) are
/// accepted and ignored, so a tutorial's `commands.sh` line reads as it is.
public struct CSLCompileOptions: Sendable, Equatable {
    /// `--params=M:4,N:6` (several `--params` flags add up; a later value of a name wins).
    public var params: [String: Int]
    /// `--colors=x_in:1,b_in:4`: color params of the layout file.
    public var colors: [String: Int] = [:]
    public var fabricDims: FabricDims?
    public var fabricOffsets: FabricOffsets?
    public var architecture: Architecture
    public var dialect: CSLDialect

    /// `--fabric-dims=W,H`.
    public struct FabricDims: Sendable, Equatable {
        public var width: Int
        public var height: Int
        public init(width: Int, height: Int) {
            self.width = width
            self.height = height
        }
    }

    /// `--fabric-offsets=X,Y`.
    public struct FabricOffsets: Sendable, Equatable {
        public var x: Int
        public var y: Int
        public init(x: Int, y: Int) {
            self.x = x
            self.y = y
        }
    }

    public init(
        params: [String: Int] = [:], fabricDims: FabricDims? = nil, fabricOffsets: FabricOffsets? = nil, architecture: Architecture = .wse2,
        dialect: CSLDialect = .sdk14
    ) {
        self.params = params
        self.fabricDims = fabricDims
        self.fabricOffsets = fabricOffsets
        self.architecture = architecture
        self.dialect = dialect
    }

    /// Why a command line was refused: the message names the flag and the value.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Flags of `cslc` that take a value in the next word when not written `--flag=value`.
    static let flagsWithValue: Set<String> = [
        "--params", "--colors", "--fabric-dims", "--fabric-offsets", "--arch", "--sdk", "-o", "--channels", "--width-west-buf", "--width-east-buf",
    ]

    /// Reads a `cslc` command line (the words after `cslc`, or any part of them): `--params=M:4,N:6
    /// --fabric-dims=11,3 --fabric-offsets=4,1 --arch=wse2`. Words that are not options (the layout file)
    /// and other `cslc` options are skipped.
    public static func parse(commandLine words: [String]) throws -> CSLCompileOptions {
        var options = CSLCompileOptions()
        var k = 0
        while k < words.count {
            let word = words[k]
            k += 1
            guard word.hasPrefix("-") else { continue }
            var flag = word
            var value: String?
            if let eq = word.firstIndex(of: "=") {
                flag = String(word[..<eq])
                value = String(word[word.index(after: eq)...])
            } else if flagsWithValue.contains(word) {
                guard k < words.count else { throw ParseError("\(word) needs a value") }
                value = words[k]
                k += 1
            }
            guard let value else { continue }
            switch flag {
            case "--params":
                for (name, v) in try parseParams(value) { options.params[name] = v }
            case "--colors":
                for (name, v) in try parseParams(value, flag: "--colors") {
                    guard Architecture.colors.contains(v) else {
                        throw ParseError("--colors=\(value): \(name):\(v) is not a color (\(Architecture.colorsText))")
                    }
                    options.colors[name] = v
                }
            case "--fabric-dims":
                let (w, h) = try parsePair(value, flag: flag)
                guard w > 0, h > 0 else { throw ParseError("--fabric-dims=\(value): the width and height must be positive") }
                options.fabricDims = FabricDims(width: w, height: h)
            case "--fabric-offsets":
                let (x, y) = try parsePair(value, flag: flag)
                guard x >= 0, y >= 0 else { throw ParseError("--fabric-offsets=\(value): the offsets must not be negative") }
                options.fabricOffsets = FabricOffsets(x: x, y: y)
            case "--arch":
                guard let arch = Architecture(rawValue: value) else { throw ParseError("--arch=\(value): the architecture is wse2 or wse3") }
                options.architecture = arch
            case "--sdk":
                guard let dialect = CSLDialect(rawValue: value) else {
                    throw ParseError("--sdk \(value): this shell reads SDK \(CSLDialect.allCases.map(\.rawValue).joined(separator: ", ")) CSL")
                }
                options.dialect = dialect
            default: continue
            }
        }
        return options
    }

    /// `M:4,N:6` → [("M", 4), ("N", 6)] (values are integers, decimal or 0x hex, optionally negative).
    static func parseParams(_ text: String, flag: String = "--params") throws -> [(String, Int)] {
        var result: [(String, Int)] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ParseError("\(flag)=\(text): '\(item)' is not NAME:VALUE")
            }
            let name = String(parts[0])
            guard name.first.map({ $0.isLetter || $0 == "_" }) == true, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw ParseError("\(flag)=\(text): '\(name)' is not a parameter name")
            }
            guard let v = parseInteger(String(parts[1])) else {
                throw ParseError("\(flag)=\(text): the value of \(name), '\(parts[1])', is not an integer")
            }
            result.append((name, v))
        }
        return result
    }

    static func parseInteger(_ text: String) -> Int? {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") {
            negative = true
            body = body.dropFirst()
        }
        let magnitude: Int?
        if body.hasPrefix("0x") || body.hasPrefix("0X") {
            magnitude = Int(body.dropFirst(2), radix: 16)
        } else {
            magnitude = Int(body, radix: 10)
        }
        guard let m = magnitude, !body.isEmpty else { return nil }
        return negative ? -m : m
    }

    static func parsePair(_ text: String, flag: String) throws -> (Int, Int) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]) else {
            throw ParseError("\(flag)=\(text): expected two integers, as in \(flag)=11,3")
        }
        return (a, b)
    }
}
