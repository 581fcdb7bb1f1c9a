package dev.mxshift.model.dns;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads the word a person or a file gave for one of an enum's constants, each of which is spelled as a word of its own. */
public final class EnumWords {

    private EnumWords() {
    }

    /**
     * The constant named by {@code text}: its word (migrate-insecure) or its name (MIGRATE_INSECURE), any case, with
     * '_' and '-' alike. Otherwise an {@link InvalidValueException} for {@code field} that lists every word.
     */
    public static <E extends Enum<E>> E parse(E[] constants, Function<E, String> word, String field, String text) {
        String t = normalised(text == null ? "" : text);
        for (E constant : constants) {
            if (word.apply(constant).equals(t) || normalised(constant.name()).equals(t)) {
                return constant;
            }
        }
        throw new InvalidValueException(field, text, "is not one of "
                + Arrays.stream(constants).map(word).collect(Collectors.joining(", ")));
    }

    private static String normalised(String text) {
        return text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
