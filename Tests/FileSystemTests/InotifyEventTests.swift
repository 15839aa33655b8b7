import FileSystem
import Glibc
import Testing

@Suite("inotify events as read from the descriptor")
struct InotifyEventTests {
    /// One event in the kernel's layout: wd, mask, cookie, len, then the NUL-padded name.
    func encoded(watch: Int32, mask: Int32, cookie: UInt32 = 0, name: String, padTo length: Int) -> [UInt8] {
        func word(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
        var name = Array(name.utf8)
        name += [UInt8](repeating: 0, count: length - name.count)
        return word(UInt32(bitPattern: watch)) + word(UInt32(bitPattern: mask)) + word(cookie)
            + word(UInt32(length)) + name
    }

    @Test("several events in one read, names with their padding removed, the overflow event without one")
    func parse() {
        let bytes =
            encoded(watch: 1, mask: IN_MODIFY, name: "party1.toml", padTo: 16)
            + encoded(watch: 2, mask: IN_CREATE | IN_ISDIR, cookie: 0, name: "..2024_01_01", padTo: 32)
            + encoded(watch: -1, mask: IN_Q_OVERFLOW, name: "", padTo: 0)
        var events: [InotifyEvent] = []
        InotifyInstance.parse(bytes[...], into: &events)
        #expect(
            events == [
                InotifyEvent(watch: 1, mask: UInt32(IN_MODIFY), cookie: 0, name: "party1.toml"),
                InotifyEvent(watch: 2, mask: UInt32(IN_CREATE | IN_ISDIR), cookie: 0, name: "..2024_01_01"),
                InotifyEvent(watch: -1, mask: UInt32(IN_Q_OVERFLOW), cookie: 0, name: ""),
            ])
        #expect(events[1].isDirectory)
        #expect(events[2].has(InotifyMask.queueOverflow))
    }
}
