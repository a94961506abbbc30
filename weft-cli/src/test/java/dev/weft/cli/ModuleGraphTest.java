package dev.weft.cli;

import org.junit.jupiter.api.Test;

import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The layering of docs/ARCHITECTURE.md as a check: the runtime modules resolve against the JDK alone, dependencies
 * point down only (cli -> weft -> weft.protocol), and no internal package is exported. The command
 * alone may use one library, HdrHistogram, for {@code weft load}'s latency histograms.
 * Tests run on the class path; this resolves the real module descriptors the launcher uses.
 */
class ModuleGraphTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static ModuleFinder runtimeModules() {
        Path[] dirs = {
            ROOT.resolve("weft-protocol/target/classes"),
            ROOT.resolve("weft-runtime/target/classes"),
            ROOT.resolve("weft-cli/target/classes"),
        };
        for (Path d : dirs) assertTrue(Files.isDirectory(d), "not built: " + d);
        return ModuleFinder.of(dirs);
    }

    @Test
    void runtimeModulesResolveAgainstTheJdkAlone() {
        var config = Configuration.resolve(runtimeModules(), java.util.List.of(ModuleLayer.boot().configuration()),
                ModuleFinder.of(), Set.of("weft"));
        Set<String> resolved = config.modules().stream().map(m -> m.name()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of("weft", "weft.protocol")), resolved);
    }

    @Test
    void theCommandResolvesWithItsOneLibrary() {
        Path lib = ROOT.resolve("weft-cli/target/lib");
        assertTrue(Files.isDirectory(lib), "not packaged: " + lib);
        var config = Configuration.resolve(ModuleFinder.compose(runtimeModules(), ModuleFinder.of(lib)),
                java.util.List.of(ModuleLayer.boot().configuration()), ModuleFinder.of(), Set.of("weft.cli"));
        Set<String> resolved = config.modules().stream().map(m -> m.name()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of("weft.cli", "weft", "weft.protocol", "HdrHistogram")), resolved);
    }

    @Test
    void dependenciesPointDownOnly() {
        assertEquals(Set.of("java.base"), requires("weft.protocol"));
        assertEquals(Set.of("java.base", "weft.protocol"), requires("weft"));
        assertEquals(Set.of("java.base", "weft", "HdrHistogram"), requires("weft.cli"), "the command goes through the runtime");
    }

    @Test
    void noInternalPackageIsExported() {
        for (var ref : runtimeModules().findAll()) {
            for (var export : ref.descriptor().exports()) {
                assertFalse(export.source().contains(".internal"), ref.descriptor().name() + " exports " + export.source());
            }
        }
    }

    private static Set<String> requires(String module) {
        ModuleDescriptor d = runtimeModules().find(module).orElseThrow().descriptor();
        return d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
    }
}
