import PyFlameLowering

/// The values one PE program file needs, for the PEs of one role. A value every PE of the role shares is
/// written into the code as a literal; a value that differs becomes a `param` of the file, set per PE by
/// its `@set_tile_code` in `layout.csl`. So one file serves the whole role, and PE coordinates never
/// appear in it.
struct RoleParameters {
    /// A `param` of the file: its name, CSL type, what it is, and its value per PE (in role order).
    struct Parameter {
        var name: String
        var type: String
        var comment: String
        var values: [String]
    }

    let pes: [PEProgram]
    private(set) var parameters: [Parameter] = []

    init(pes: [PEProgram]) { self.pes = pes }

    /// An integer value of each PE: its literal when all agree, else a new `u16` parameter's name.
    mutating func int(_ name: String, _ comment: String, _ value: (PEProgram) -> Int) -> String {
        let values = pes.map(value)
        if Set(values).count == 1 { return String(values[0]) }
        return add(name, "u16", comment, values.map(String.init))
    }

    /// A color of each PE: `@get_color(N)` when all agree, else a `color` parameter.
    mutating func color(_ name: String, _ comment: String, _ value: (PEProgram) -> Int) -> String {
        let values = pes.map(value)
        if Set(values).count == 1 { return "@get_color(\(values[0]))" }
        return add(name, "color", comment, values.map { "@get_color(\($0))" })
    }

    /// True when every PE of the role gives the same integer.
    func uniform(_ value: (PEProgram) -> Int) -> Int? {
        let values = Set(pes.map(value))
        return values.count == 1 ? values.first : nil
    }

    private mutating func add(_ name: String, _ type: String, _ comment: String, _ values: [String]) -> String {
        if let existing = parameters.first(where: { $0.values == values && $0.type == type }) { return existing.name }
        parameters.append(Parameter(name: name, type: type, comment: comment, values: values))
        return name
    }

    /// `.NAME = value, ...` for PE number `index` of the role (the tail of its `@set_tile_code` struct).
    func tileArguments(_ index: Int) -> String {
        parameters.map { ", .\($0.name) = \($0.values[index])" }.joined()
    }

    /// An affine index into a flat buffer: `offset + v0 * stride0 + ...`, literals folded where uniform.
    mutating func index(_ prefix: String, _ what: String, variables: [String], _ access: (PEProgram) -> BufferAccess) -> String {
        var terms: [String] = []
        let rank = access(pes[0]).extents.count
        for d in 0..<min(rank, variables.count) {
            if let s = uniform({ access($0).strides[d] }) {
                if s == 0 { continue }
                terms.append(s == 1 ? variables[d] : "\(variables[d]) * \(s)")
            } else {
                terms.append("\(variables[d]) * " + int("\(prefix)_STRIDE\(d)", "\(what): stride of dimension \(d)") { access($0).strides[d] })
            }
        }
        if let o = uniform({ access($0).offset }) {
            if o != 0 || terms.isEmpty { terms.append(String(o)) }
        } else {
            terms.append(int("\(prefix)_OFFSET", "\(what): first element") { access($0).offset })
        }
        return terms.joined(separator: " + ")
    }

    /// Extents of an access per dimension (literal or parameter).
    mutating func extents(_ prefix: String, _ what: String, _ access: (PEProgram) -> BufferAccess) -> [String] {
        let rank = access(pes[0]).extents.count
        return (0..<rank).map { d in int("\(prefix)_EXTENT\(d)", "\(what): elements along dimension \(d)") { access($0).extents[d] } }
    }
}
