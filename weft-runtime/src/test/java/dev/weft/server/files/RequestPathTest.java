package dev.weft.server.files;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Paths as attackers write them: every one either stays inside the root or is refused. */
class RequestPathTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''                 | ''",
            "a/b.txt            | a/b.txt",
            "a/./b.txt          | a/b.txt",
            "a//b.txt           | a/b.txt",
            "a/../b.txt         | b.txt",
            "a/%2e/b.txt        | a/b.txt",
            "a/%2E%2e/b.txt     | b.txt",
            "caf%C3%A9.txt      | café.txt",
            "sp%20ace.txt       | sp ace.txt",
            "..                 | ABOVE_ROOT",
            "../etc/passwd      | ABOVE_ROOT",
            "a/../../x          | ABOVE_ROOT",
            "%2e%2e/x           | ABOVE_ROOT",
            "%2E%2E%2Fetc       | FORBIDDEN_CHARACTER",
            "a%2Fb              | FORBIDDEN_CHARACTER",
            "a%5cb              | FORBIDDEN_CHARACTER",
            "a\\b               | FORBIDDEN_CHARACTER",
            "a%00.txt           | FORBIDDEN_CHARACTER",
            "a%0a.txt           | FORBIDDEN_CHARACTER",
            "%C0%AE%C0%AE/x     | NOT_UTF_8",
            "%E0%80%AE          | NOT_UTF_8",
            "%ED%A0%80          | NOT_UTF_8",
            "%FF                | NOT_UTF_8",
            "a%2                | MALFORMED_ESCAPE",
            "a%zz               | MALFORMED_ESCAPE",
            ".env               | HIDDEN",
            "a/.git/config      | HIDDEN",
            "%2egit/config      | HIDDEN",
    })
    void decodedOnceNormalisedAndKeptInsideTheRoot(String raw, String expected) {
        String got = switch (RequestPath.parse(raw, false)) {
            case RequestPath.Parsed.Ok(RequestPath p) -> p.relative();
            case RequestPath.Parsed.Refused(RequestPath.Refusal why) -> why.name();
        };
        assertEquals(expected, got);
    }

    @ParameterizedTest @CsvSource({"'', true", "a/, true", "a, false", "a/b/, true"})
    void aTrailingSlashMarksAFolder(String raw, boolean folder) {
        var ok = (RequestPath.Parsed.Ok) RequestPath.parse(raw, false);
        assertEquals(folder, ok.path().directory());
    }

    @ParameterizedTest @CsvSource({".env", "a/.hidden"})
    void hiddenFilesWhenAllowed(String raw) {
        assertEquals(raw, ((RequestPath.Parsed.Ok) RequestPath.parse(raw, true)).path().relative());
    }
}
