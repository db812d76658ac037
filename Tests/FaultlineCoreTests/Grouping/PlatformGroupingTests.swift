import Testing

@testable import FaultlineCore

/// One case per platform family for what the frame strategy keeps and drops (reference §5), read from the
/// component tree of the `system` variant.
@Suite("Grouping: frames per platform")
struct PlatformGroupingTests {
    let grouper = Grouper(configuration: .sentryCompatible)

    /// The contributing leaf values of the one frame of a one-frame top-level stack trace.
    func frameValues(_ frame: GroupingFrame, platform: String) -> [String] {
        grouper.group(GroupingInput(platform: platform, stacktrace: GroupingStacktrace(frames: [frame])))
            .variants["system"]?.component.hashedValues ?? []
    }

    @Test("JavaScript: the function's last segment; anonymous functions and URL file names do not count")
    func javascript() {
        #expect(frameValues(GroupingFrame(function: "Object.handleClick", filename: "app.js", absPath: "/srv/app.js"),
                            platform: "javascript") == ["app.js", "handleClick"])
        #expect(frameValues(GroupingFrame(function: "<anonymous>", filename: "App.js", absPath: "/srv/App.js"),
                            platform: "node") == ["app.js"])
        #expect(frameValues(GroupingFrame(function: "render", filename: "main.js",
                                          absPath: "https://cdn.example.com/main.js"), platform: "javascript") == ["render"])
    }

    @Test("PHP: anonymous class methods keep the method; closures of anonymous classes do not count")
    func php() {
        #expect(frameValues(GroupingFrame(function: "class@anonymous/app/src/Job.php:12$0::handle", filename: "Job.php"),
                            platform: "php") == ["job.php", "handle"])
        #expect(frameValues(GroupingFrame(function: "[Anonymous function]", filename: "Job.php"), platform: "php") == ["job.php"])
    }

    @Test("Ruby: blocks group as `block`")
    func ruby() {
        #expect(frameValues(GroupingFrame(function: "block in process", filename: "worker.rb"), platform: "ruby")
                == ["worker.rb", "block"])
    }

    @Test("Java: Spring CGLIB classes lose their generated suffix; the file name gives way to the module")
    func java() {
        #expect(frameValues(GroupingFrame(function: "getOrder", module: "com.acme.OrderController$$SpringCGLIB$$0",
                                          filename: "<generated>"), platform: "java")
                == ["com.acme.OrderController$$SpringCGLIB$$<auto>", "getOrder"])
        #expect(frameValues(GroupingFrame(function: "invoke", module: "jdk.internal.reflect.GeneratedMethodAccessor12",
                                          filename: "Unknown Source"), platform: "java")
                == ["jdk.internal.reflect.GeneratedMethodAccessor", "invoke"])
    }

    @Test("Python: module and function, with the source line whitespace collapsed")
    func python() {
        #expect(frameValues(GroupingFrame(function: "process_order", module: "worker.tasks", filename: "tasks.py",
                                          contextLine: "    order  =  orders[key]"), platform: "python")
                == ["worker.tasks", "process_order", "order = orders[key]"])
    }

    @Test("Go: package and function; closures are not normalized")
    func go() {
        #expect(frameValues(GroupingFrame(function: "(*Store).Reserve.func1", module: "github.com/acme/stock", filename: "store.go"),
                            platform: "go") == ["github.com/acme/stock", "(*Store).Reserve.func1"])
    }

    @Test("native: Rust hashes, argument lists, templates and return types are trimmed; the file gives way")
    func native() {
        #expect(frameValues(GroupingFrame(function: "myapp::orders::reserve::h7f3c2a9e4b1d0c5f", filename: "orders.rs"),
                            platform: "native") == ["myapp::orders::reserve"])
        #expect(frameValues(GroupingFrame(function: "std::vector<int>::push_back(int const&) const", filename: "vector.h"),
                            platform: "native") == ["std::vector<T>::push_back"])
        #expect(frameValues(GroupingFrame(function: "main.Worker.run() -> ()", filename: "Worker.swift"), platform: "swift")
                == ["main.Worker.run"])
    }

    @Test("recursion: a frame repeating its caller exactly counts once")
    func recursion() {
        let frame = GroupingFrame(function: "walk", module: "tree", filename: "tree.py", lineno: 10)
        let result = grouper.group(GroupingInput(platform: "python", stacktrace: GroupingStacktrace(frames: [frame, frame, frame])))
        #expect(result.variants["system"]?.component.hashedValues == ["tree", "walk"])
    }
}
