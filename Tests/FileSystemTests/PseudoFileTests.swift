import FileSystem
import Testing

/// Kernel pseudo files are refused as inputs; kms-drift's own reads of /proc still work.
@Suite("pseudo files: refused as inputs, read on kms-drift's own behalf")
struct PseudoFileTests {
    @Test(
        "a /proc or /sys file given as input is refused, naming the file system",
        arguments: [
            ("/proc/self/status", "procfs"), ("/proc/self/environ", "procfs"),
            ("/sys/kernel/mm/transparent_hugepage/enabled", "sysfs"),
        ])
    func refused(path: String, fileSystem: String) {
        #expect(throws: InputFileError.pseudoFile(fileSystem: fileSystem)) {
            try FileContents.read(path)
        }
    }

    @Test("kms-drift's own /proc reads (inotify limits, a process's environment) still work")
    func kernelFile() throws {
        let bytes = try FileContents.readKernelFile("/proc/sys/fs/inotify/max_user_watches")
        #expect(Int(String(decoding: bytes, as: UTF8.self).filter { $0.isNumber }) ?? 0 > 0)
        #expect(try !FileContents.readKernelFile("/proc/self/cmdline").isEmpty)
    }
}
