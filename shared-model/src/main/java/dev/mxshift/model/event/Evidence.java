package dev.mxshift.model.event;

/** What one source (an authoritative server, a resolver, an SMTP endpoint) was seen to say. */
public record Evidence(String source, String observation) {
    public Evidence {
        Checks.text(source, "Evidence", "source");
        Checks.text(observation, "Evidence", "observation");
    }
}
