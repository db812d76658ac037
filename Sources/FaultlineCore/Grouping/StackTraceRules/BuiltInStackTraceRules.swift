/// The built-in base stack trace rules, as rule text.
///
/// Source: reference `sentry-grouping.md` §9.4, which describes Sentry's
/// `enhancement-configs/all-platforms@2023-01-11.txt` (the base of grouping config `newstyle:2023-01-11`).
/// Written here from that description, not copied.
///
/// Scope: the rules that matter for non-native platforms only. The base's roughly 250 `family:native` rules
/// (categories system, std, ui, threadbase, throw, malloc, driver, …, and the Unreal `v+app -app ^-app` border
/// rules) are out of scope, as are the Dart/Flutter SDK rules, which §9.4 names without their text. Native and
/// Dart events therefore group as if those rules did not exist.
public enum BuiltInStackTraceRules {
    /// `all-platforms:2023-01-11`, non-native part. Order matters: categories are set before the rules that
    /// read them, and the last writer wins.
    public static let allPlatforms2023 = #"""
        # Built-in base all-platforms:2023-01-11 (non-native part), from reference §9.4.

        ## Generic: vendored dependencies
        path:**/vendor/** -app

        ## Python: installed packages
        path:**/site-packages/** -app
        path:**/dist-packages/** -app

        ## JavaScript and Node: dependencies, CDNs, runtime and transpiler helpers
        path:**/node_modules/** -app
        module:unpkg/** -app
        path:**https://{unpkg.com,cdnjs.cloudflare.com,cdn.jsdelivr.net,esm.run}/** -app
        family:javascript function:reportError ^-app -app
        module:{@babel,core-js,regenerator-runtime,tslib}/** -app -group
        family:javascript function:_callSuper -app -group
        function:{runMicrotasks,queueMicrotask,processTicksAndRejections,runNextTicks,nextTick} -app -group

        ## Go: the module cache
        path:**/go/pkg/mod/** -app

        ## Java and the JVM: frameworks are out of app
        module:akka.* category=framework
        module:com.fasterxml.* category=framework
        module:com.microsoft.* category=framework
        module:com.sun.* category=framework
        module:feign.* category=framework
        module:io.opentelemetry.* category=framework
        module:io.sentry.* category=framework
        module:jdk.* category=framework
        module:oauth.* category=framework
        module:org.apache.* category=framework
        module:org.glassfish.* category=framework
        module:org.jboss.* category=framework
        module:org.jdesktop.* category=framework
        module:org.postgresql.* category=framework
        module:org.springframework.* category=framework
        module:org.web3j.* category=framework
        module:reactor.core.* category=framework
        module:scala.* category=framework
        module:sun.* category=framework
        category:framework -app
        module:io.sentry.* -group

        module:kotlin.* -app
        module:kotlinx.* -app
        module:io.ktor.* -app
        module:io.netty.* -app

        ## Java: the standard library; a java.* frame called from another is an internal and is ignored
        module:java.* category=std
        [ category:std ] | category:std category=internals
        module:java.lang.reflect.* category=indirection
        module:java.lang.Class function:getMethod category=indirection
        module:java.util.concurrent.ThreadPoolExecutor* function:runWorker category=threadbase
        category:internals -group
        category:indirection -group
        category:threadbase -group v-group

        ## Android: framework categories (approximate: §9.4 names the categories, not the packages)
        module:android.* category=system
        module:android.view.* category=ui
        module:android.widget.* category=ui
        module:androidx.* category=ui

        ## Telemetry agents wrap application code
        module:newrelic -app -group
        path:**/*newrelic*/** -app -group
        path:**/*LogRocket*/** -app -group
        """#
}
