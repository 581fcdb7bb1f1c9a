package dev.mxshift.operator.system;

/** The four services, each a separate process: where its runnable jar is built, and its first HTTP port. */
public enum Service {
    DISCOVERY("discovery-service", 8081),
    VALIDATION("validation-service", 8082),
    RECORD_GENERATION("record-generation-service", 8083),
    DNS_PUSH("dns-push-service", 8084);

    private final String module;
    private final int basePort;

    Service(String module, int basePort) {
        this.module = module;
        this.basePort = basePort;
    }

    public String module() {
        return module;
    }

    /** Instance 0 listens on the service's port; instance n on port + 100 n. */
    public int port(int instance) {
        return basePort + 100 * instance;
    }
}
