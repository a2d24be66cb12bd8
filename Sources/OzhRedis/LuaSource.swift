/// The project's Lua scripts are files, `Sources/<module>/Lua/<script name>.lua` (each module holds the scripts it runs), compiled into the
/// binary (SwiftPM `embedInCode`, as `PackageResources.<name>_lua`): no file is read at run time.
///
/// A file starts with `---` lines saying what the script takes and answers (KEYS, ARGV, the
/// reply); they are documentation and never sent to Redis, so a script's text — and its SHA1,
/// which EVALSHA names it by — is the file's remaining lines, without the final newline.
package enum LuaSource {
    /// The script text of an embedded `.lua` file: without its leading `---` lines and its final newline.
    package static func text(_ bytes: [UInt8]) -> String {
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        while let first = lines.first, first.hasPrefix("---") { lines.removeFirst() }
        if lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
