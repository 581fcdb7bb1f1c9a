package dev.mxshift.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A secret named, never written down: {@code env:NAME} (an environment variable) or {@code file:/path} (a file
 * whose content, trimmed, is the secret). Configuration, events, logs and error messages carry only the
 * reference (invariant 5); {@link #resolve()} is called where the secret is used, and its value is not kept.
 */
public record SecretReference(String reference) {

    public SecretReference {
        if (reference == null || !(reference.startsWith("env:") && reference.length() > 4
                || reference.startsWith("file:") && reference.length() > 5)) {
            // Never echo what was given: a secret pasted where its reference belongs must not reach a log.
            throw new IllegalArgumentException("a secret reference is env:NAME or file:/path; got "
                    + (reference == null ? "nothing" : "a value of " + reference.length() + " characters that is neither"
                    + " (if it is the secret itself, put it in a file or an environment variable and name that)"));
        }
    }

    public String resolve() {
        return resolve(System::getenv);
    }

    /** For tests: the environment is given. */
    public String resolve(Function<String, String> environment) {
        String value;
        if (reference.startsWith("env:")) {
            value = environment.apply(reference.substring(4));
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("secret " + reference + " is not set in the environment");
            }
        } else {
            Path file = Path.of(reference.substring(5));
            try {
                value = Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new IllegalStateException("secret " + reference + " cannot be read: " + e.getClass().getSimpleName());
            }
            if (value.isEmpty()) {
                throw new IllegalStateException("secret " + reference + " is empty");
            }
        }
        return value;
    }

    @Override
    public String toString() {
        return reference;
    }
}
