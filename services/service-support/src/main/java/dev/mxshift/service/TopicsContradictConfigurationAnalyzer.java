package dev.mxshift.service;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A service that refuses its topics says so in Spring Boot's "APPLICATION FAILED TO START" report, each problem with
 * what to change, instead of at the bottom of a stack trace.
 */
public final class TopicsContradictConfigurationAnalyzer extends AbstractFailureAnalyzer<TopicsContradictConfiguration> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TopicsContradictConfiguration cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Change the topics or the configuration as each line says; the settings are mxshift.topics.partitions,"
                        + " mxshift.topics.replication-factor and mxshift.topics.min-insync-replicas (MXSHIFT_TOPIC_PARTITIONS,"
                        + " MXSHIFT_TOPIC_REPLICATION, MXSHIFT_TOPIC_MIN_ISR); see docs/kafka-topics.md.", cause);
    }
}
