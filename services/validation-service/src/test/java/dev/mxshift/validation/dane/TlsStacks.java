package dev.mxshift.validation.dane;

import org.junit.jupiter.params.provider.Arguments;

import java.security.Provider;
import java.util.stream.Stream;

/** The two places a STARTTLS probe's handshake can run, for tests that must hold in both. */
final class TlsStacks {

    private TlsStacks() {
    }

    /** JSSE (a null provider) and Conscrypt; fails where Conscrypt's jar carries a native library that does not load. */
    static Stream<Arguments> both() {
        Provider conscrypt = SmtpStartTls.conscrypt("");
        if (conscrypt == null && carriesNativeLibrary()) {
            throw new AssertionError("Conscrypt's native library should load on " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch"));
        }
        return conscrypt == null ? Stream.of(Arguments.of("JSSE", null)) : Stream.of(Arguments.of("JSSE", null), Arguments.of("Conscrypt", conscrypt));
    }

    /** Conscrypt 2.5.2's uber jar has native code for x86-64 Linux, x86-64 macOS and Windows. */
    static boolean carriesNativeLibrary() {
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch");
        return os.contains("windows") || ((os.contains("linux") || os.contains("mac")) && (arch.equals("amd64") || arch.equals("x86_64")));
    }
}
