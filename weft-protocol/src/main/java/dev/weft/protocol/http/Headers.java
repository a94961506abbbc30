package dev.weft.protocol.http;

import dev.weft.protocol.internal.Ascii;
import dev.weft.protocol.internal.HeadersAccess;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * An ordered list of field lines (RFC 9110 §5): names compare without regard to ASCII case,
 * insertion order is kept, and a name may appear several times.
 *
 * <p>Stored as two parallel arrays, because a request has about a dozen fields and a linear
 * scan of a dozen interned names beats hashing them. Names the parser recognises are the
 * {@link FieldName} instances, so lookups by those constants mostly match on identity.
 *
 * <p>Not thread-safe: a Headers belongs to the one message being built or read. {@link #add}
 * and {@link #set} reject names that are not tokens and values with CR, LF, NUL or other
 * controls, so a header can never split a message (RFC 9110 §5.5).
 */
public final class Headers implements Iterable<Headers.Field> {
    /** One field line. */
    public record Field(String name, String value) {}

    static {
        HeadersAccess.install(Headers::addTrusted);
    }

    private static final Headers EMPTY = new Headers(1, true);

    private String[] names;
    private String[] values;
    private int size;
    private final boolean readOnly;

    public Headers() { this(8); }

    public Headers(int capacity) { this(capacity, false); }

    private Headers(int capacity, boolean readOnly) {
        names = new String[Math.max(capacity, 1)];
        values = new String[names.length];
        this.readOnly = readOnly;
    }

    /** The shared empty, read-only Headers (a message without trailers, say); changing it throws. */
    public static Headers empty() { return EMPTY; }

    /** Headers from alternating names and values: {@code Headers.of("content-type", "text/plain")}. */
    public static Headers of(String... namesAndValues) {
        if ((namesAndValues.length & 1) != 0) throw new IllegalArgumentException("odd number of names and values");
        var h = new Headers(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2) h.add(namesAndValues[i], namesAndValues[i + 1]);
        return h;
    }

    /** Appends a field line. */
    public Headers add(String name, String value) {
        if (!Ascii.isToken(name)) throw new IllegalArgumentException("field name is not a token: " + name);
        if (!Ascii.isFieldValue(value)) throw new IllegalArgumentException("field value has a control character: " + name);
        addTrusted(name, value);
        return this;
    }

    /** Replaces every line named {@code name} with one line, in the place of the first. */
    public Headers set(String name, String value) {
        int at = indexOf(name, 0);
        if (at < 0) return add(name, value);
        if (!Ascii.isFieldValue(value)) throw new IllegalArgumentException("field value has a control character: " + name);
        checkWritable();
        values[at] = value;
        removeFrom(name, at + 1);
        return this;
    }

    /** Removes every line named {@code name}; returns how many there were. */
    public int remove(String name) { return removeFrom(name, 0); }

    public Optional<String> first(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? Optional.empty() : Optional.of(values[i]);
    }

    /** The first value of {@code name}, or {@code fallback} when there is none. */
    public String firstOr(String name, String fallback) {
        int i = indexOf(name, 0);
        return i < 0 ? fallback : values[i];
    }

    /** Every value of {@code name}, in order. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) out.add(values[i]);
        return out;
    }

    public boolean contains(String name) { return indexOf(name, 0) >= 0; }

    /** How many lines are named {@code name}. */
    public int count(String name) {
        int n = 0;
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) n++;
        return n;
    }

    /**
     * True if any line named {@code name} lists {@code token} among its comma-separated
     * elements, ignoring case and optional whitespace (RFC 9110 §5.6.1): the test for
     * {@code Connection: close} or {@code Connection: keep-alive, Upgrade}.
     */
    public boolean containsToken(String name, String token) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (listContains(values[i], token)) return true;
        }
        return false;
    }

    static boolean listContains(String list, String token) {
        int n = list.length(), start = 0;
        while (start <= n) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            int a = start, b = end;
            while (a < b && isOws(list.charAt(a))) a++;
            while (b > a && isOws(list.charAt(b - 1))) b--;
            if (b - a == token.length() && list.regionMatches(true, a, token, 0, token.length())) return true;
            if (comma < 0) break;
            start = comma + 1;
        }
        return false;
    }

    private static boolean isOws(char c) { return c == ' ' || c == '\t'; }

    public int size() { return size; }

    public boolean isEmpty() { return size == 0; }

    /** The name of line {@code i}, as received or added. */
    public String name(int i) {
        java.util.Objects.checkIndex(i, size);
        return names[i];
    }

    public String value(int i) {
        java.util.Objects.checkIndex(i, size);
        return values[i];
    }

    public void forEach(BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < size; i++) action.accept(names[i], values[i]);
    }

    @Override public Iterator<Field> iterator() {
        return new Iterator<>() {
            int next;
            @Override public boolean hasNext() { return next < size; }
            @Override public Field next() {
                if (next >= size) throw new NoSuchElementException();
                var f = new Field(names[next], values[next]);
                next++;
                return f;
            }
        };
    }

    /** An independent copy. */
    public Headers copy() {
        var h = new Headers(Math.max(size, 1));
        System.arraycopy(names, 0, h.names, 0, size);
        System.arraycopy(values, 0, h.values, 0, size);
        h.size = size;
        return h;
    }

    private void checkWritable() {
        if (readOnly) throw new UnsupportedOperationException("read-only Headers");
    }

    private void addTrusted(String name, String value) {
        checkWritable();
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
    }

    private int indexOf(String name, int from) {
        for (int i = from; i < size; i++) {
            String n = names[i];
            if (n == name || Ascii.equalsIgnoreCase(n, name)) return i;
        }
        return -1;
    }

    private int removeFrom(String name, int from) {
        if (indexOf(name, from) < 0) return 0;
        checkWritable();
        int kept = from, removed = 0;
        for (int i = from; i < size; i++) {
            if (Ascii.equalsIgnoreCase(names[i], name)) {
                removed++;
            } else {
                names[kept] = names[i];
                values[kept] = values[i];
                kept++;
            }
        }
        Arrays.fill(names, kept, size, null);
        Arrays.fill(values, kept, size, null);
        size = kept;
        return removed;
    }

    /** Equal when the same lines appear in the same order, names compared without case. */
    @Override public boolean equals(Object o) {
        if (!(o instanceof Headers h) || h.size != size) return false;
        for (int i = 0; i < size; i++) {
            if (!Ascii.equalsIgnoreCase(names[i], h.names[i]) || !values[i].equals(h.values[i])) return false;
        }
        return true;
    }

    @Override public int hashCode() {
        int hash = 1;
        for (int i = 0; i < size; i++) hash = 31 * hash + values[i].hashCode() + names[i].length();
        return hash;
    }

    @Override public String toString() {
        var sb = new StringBuilder("Headers[");
        for (int i = 0; i < size; i++) {
            if (i > 0) sb.append(", ");
            sb.append(names[i]).append(": ").append(values[i]);
        }
        return sb.append(']').toString();
    }
}
