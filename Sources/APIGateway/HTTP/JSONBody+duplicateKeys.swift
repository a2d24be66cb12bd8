import Foundation

extension JSONBody {
    /// The first key that appears twice in one object of `data`, or nil when every object
    /// names each key once.
    ///
    /// `JSONDecoder` keeps the first of two equal keys and `JSONSerialization` the last, so a
    /// body like `{"chat_id": 1, "chat_id": 2}` means different things to different readers;
    /// the gateway refuses it instead. Keys compare as decoded strings (`"a"` equals
    /// `"\u0061"`). Meant for bodies a decoder has already accepted as JSON; on anything else
    /// it still ends, in one pass, without trapping.
    static func duplicateKey(in data: Data) -> String? {
        let bytes = [UInt8](data)
        // One entry per open container: the keys seen so far for an object, nil for an array.
        var containers: [Set<String>?] = []
        var expectingKey = false
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"):
                containers.append([])
                expectingKey = true
            case UInt8(ascii: "["):
                containers.append(nil)
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !containers.isEmpty { containers.removeLast() }
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = (containers.last ?? nil) != nil
            case UInt8(ascii: ":"):
                expectingKey = false
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                if expectingKey, let last = containers.indices.last, var keys = containers[last] {
                    let key = Self.key(bytes[start..<min(index + 1, bytes.count)])
                    if !keys.insert(key).inserted { return key }
                    containers[last] = keys
                    expectingKey = false
                }
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// A quoted JSON string (quotes included) as the text it stands for.
    private static func key(_ quoted: ArraySlice<UInt8>) -> String {
        guard quoted.contains(UInt8(ascii: "\\")) else {
            return String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self)
        }
        return (try? JSONDecoder().decode(String.self, from: Data(quoted))) ?? String(decoding: quoted, as: UTF8.self)
    }
}
