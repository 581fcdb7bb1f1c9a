package dev.mxshift.operator.api;

import jakarta.servlet.ServletRequest;

import java.util.LinkedHashSet;
import java.util.Set;

/** What one API call touched, for its audit line: the first 100 domains by name, and how many in all. */
public final class Touched {

    private static final String ATTRIBUTE = Touched.class.getName();
    private static final int NAMED = 100;

    private final Set<String> domains = new LinkedHashSet<>();
    private long count;

    /** The record of the call {@code request} belongs to (one is made on first use). */
    public static Touched of(ServletRequest request) {
        Object existing = request.getAttribute(ATTRIBUTE);
        if (existing instanceof Touched t) {
            return t;
        }
        Touched t = new Touched();
        request.setAttribute(ATTRIBUTE, t);
        return t;
    }

    public synchronized void add(String domain) {
        count++;
        if (domains.size() < NAMED) {
            domains.add(domain);
        }
    }

    /** Domains seen without being named one by one (a count of a whole selection). */
    public synchronized void count(long more) {
        count += more;
    }

    synchronized Set<String> domains() {
        return Set.copyOf(domains);
    }

    synchronized long count() {
        return count;
    }
}
