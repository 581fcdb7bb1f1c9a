package dev.mxshift.model.workflow;

/** Who acts on a state: one of the four services, a person, or nobody. */
public enum ServiceRole {
    DISCOVERY("discovery-service"),
    VALIDATION("validation-service"),
    RECORD_GENERATION("record-generation-service"),
    DNS_PUSH("dns-push-service"),
    OPERATOR("operator"),
    NOBODY("nobody");

    private final String serviceName;

    ServiceRole(String serviceName) {
        this.serviceName = serviceName;
    }

    /** The service's name, which is also its Kafka consumer group. */
    public String serviceName() {
        return serviceName;
    }
}
