package dev.mxshift.dnspush;

/**
 * A provider's or a webhook's words (evidence, an error, a conflict's detail) as they may enter an event: at most
 * {@link #LIMIT} characters of them, and a marker saying how many were cut. An event carries the domain's whole state
 * and is read by every service; a provider's error page of megabytes must neither bloat it nor make Kafka refuse it.
 */
public final class ProviderText {

    /** Enough for any message a provider means for people; an HTML error page is cut. */
    public static final int LIMIT = 2_000;

    private ProviderText() {
    }

    /** {@code text} itself when it is short enough, else its first {@link #LIMIT} characters and the marker. */
    public static String capped(String text) {
        if (text == null || text.length() <= LIMIT) {
            return text;
        }
        int end = LIMIT;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never half a character
        }
        return text.substring(0, end) + " [... cut: " + (text.length() - end) + " more characters]";
    }
}
