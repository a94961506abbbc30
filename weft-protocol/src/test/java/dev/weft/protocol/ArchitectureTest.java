package dev.weft.protocol;

import dev.weft.protocol.http.Headers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.attribute.ModuleAttribute;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * ARCHITECTURE.md rule 7 as a check: the protocol module touches no I/O, threads or clocks, and needs
 * nothing outside java.base. Reads the compiled classes with the Class-File API (JEP 484) and
 * walks every constant-pool reference, so a forbidden type is caught however it is used: a call,
 * a field, a descriptor, a cast or an annotation.
 */
class ArchitectureTest {
    /** Packages and classes the protocol may not refer to, in internal form; a trailing / is a prefix. */
    private static final List<String> FORBIDDEN = List.of(
        "java/net/",                 // sockets belong to the runtime (ARCHITECTURE.md rule 7)
        "java/nio/channels/",
        "java/nio/file/",
        "java/io/File",              // File, FileInputStream, FileDescriptor, ...
        "java/time/",                // no clocks: time is injected (ARCHITECTURE.md convention 12)
        "java/util/concurrent/",     // no threads or locks: one owner per connection (ARCHITECTURE.md rule 1)
        "java/lang/Thread");
    private static final Set<String> CLOCK_METHODS = Set.of("currentTimeMillis", "nanoTime");
    /** L<internal name>; or L<internal name>< inside a descriptor or signature. */
    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([A-Za-z0-9_$]+(?:/[A-Za-z0-9_$]+)+)[;<]");
    private static final Set<String> JAVA_BASE = javaBasePackages();

    @Test
    void protocolClassesStayFreeOfIoThreadsClocksAndOtherModules() throws IOException {
        Path classes = classesDirectory();
        List<String> offences = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(classes.resolve("dev/weft/protocol"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                offences.addAll(offences(Files.readAllBytes(file)));
                scanned++;
            }
        }
        assertTrue(scanned > 10, "found only " + scanned + " classes under " + classes);
        assertEquals(List.of(), offences, "weft.protocol must stay sans-IO (ARCHITECTURE.md rule 7):\n" + String.join("\n", offences));
    }

    @Test
    void moduleExportsNoInternalPackageAndRequiresOnlyJavaBase() throws IOException {
        ClassModel info = ClassFile.of().parse(Files.readAllBytes(classesDirectory().resolve("module-info.class")));
        ModuleAttribute module = info.findAttribute(Attributes.module()).orElseThrow();
        List<String> exported = module.exports().stream().map(e -> e.exportedPackage().name().stringValue()).toList();
        assertFalse(exported.isEmpty());
        for (String pkg : exported) {
            assertFalse(List.of(pkg.split("/")).contains("internal"), "exports an internal package: " + pkg);
        }
        List<String> required = module.requires().stream().map(r -> r.requires().name().stringValue()).toList();
        assertEquals(List.of("java.base"), required);
    }

    @Test
    void theCheckCatchesEachKindOfOffence() {
        // A class made on the spot that breaks every rule once, so the scan above cannot pass vacuously.
        ClassDesc self = ClassDesc.of("dev.weft.protocol.Offender");
        byte[] bytes = ClassFile.of().build(self, cb -> cb
            .withField("when", ClassDesc.of("java.time.Instant"), ClassFile.ACC_PRIVATE)
            .withField("sql", ClassDesc.of("java.sql.Date"), ClassFile.ACC_PRIVATE)
            .withMethodBody("tick", MethodTypeDesc.of(ConstantDescs.CD_void), ClassFile.ACC_STATIC, code -> code
                .invokestatic(ClassDesc.of("java.lang.System"), "nanoTime", MethodTypeDesc.of(ConstantDescs.CD_long))
                .pop2()
                .invokestatic(ClassDesc.of("java.lang.Thread"), "onSpinWait", MethodTypeDesc.of(ConstantDescs.CD_void))
                .return_()));
        String report = String.join("\n", offences(bytes));
        for (String expected : List.of("java/time/Instant", "java/sql/Date (outside java.base)",
                                       "java/lang/System.nanoTime", "java/lang/Thread")) {
            assertTrue(report.contains(expected), "missed " + expected + " in:\n" + report);
        }
        assertFalse(report.contains("java/lang/Object"), report);
    }

    @Test
    void theCheckReadsThisTestAsAnOffender() throws IOException {
        // This class uses java.nio.file: reading it must say so.
        try (InputStream in = ArchitectureTest.class.getResourceAsStream("ArchitectureTest.class")) {
            assertNotNull(in);
            assertTrue(String.join("\n", offences(in.readAllBytes())).contains("java/nio/file/Path"));
        }
    }

    /** Every forbidden reference in one class file, as "dev/weft/protocol/X -> what". */
    private static List<String> offences(byte[] classFile) {
        ClassModel model = ClassFile.of().parse(classFile);
        String owner = model.thisClass().asInternalName();
        Set<String> found = new TreeSet<>();
        for (PoolEntry entry : model.constantPool()) {
            switch (entry) {
                case ClassEntry c -> classNames(c.asInternalName(), true).forEach(n -> judge(n, found));
                case MemberRefEntry m -> {
                    if (m.owner().asInternalName().equals("java/lang/System") && CLOCK_METHODS.contains(m.name().stringValue())) {
                        found.add("java/lang/System." + m.name().stringValue() + " (a clock)");
                    }
                }
                case Utf8Entry u -> classNames(u.stringValue(), false).forEach(n -> judge(n, found));
                default -> { }
            }
        }
        return found.stream().map(what -> owner + " -> " + what).toList();
    }

    /**
     * Class names in a ClassEntry's name ({@code plainName}: {@code java/net/Socket} or an array
     * descriptor) or in a descriptor-shaped Utf8 (fields, methods, signatures, annotations). Other
     * Utf8 text, such as string constants ({@code "text/plain"}), is not read as a class name.
     */
    private static List<String> classNames(String text, boolean plainName) {
        List<String> names = new ArrayList<>(1);
        if (text.isEmpty()) return names;
        char first = text.charAt(0);
        if (plainName && first != '[') {
            names.add(text);
            return names;
        }
        if (first != 'L' && first != '[' && first != '(' && first != '<') return names;
        Matcher m = TYPE_IN_DESCRIPTOR.matcher(text);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    private static void judge(String internalName, Set<String> found) {
        if (internalName.startsWith("dev/weft/protocol/")) return;
        for (String rule : FORBIDDEN) {
            boolean hit = rule.endsWith("/") || rule.equals("java/io/File")
                ? internalName.startsWith(rule)
                : internalName.equals(rule) || internalName.startsWith(rule + "$");
            if (hit) {
                found.add(internalName);
                return;
            }
        }
        int slash = internalName.lastIndexOf('/');
        String pkg = slash < 0 ? "" : internalName.substring(0, slash).replace('/', '.');
        if (!JAVA_BASE.contains(pkg)) found.add(internalName + " (outside java.base)");
    }

    private static Set<String> javaBasePackages() {
        return Object.class.getModule().getPackages();
    }

    /** target/classes, found from where Headers was loaded. */
    private static Path classesDirectory() {
        try {
            return Path.of(Headers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
