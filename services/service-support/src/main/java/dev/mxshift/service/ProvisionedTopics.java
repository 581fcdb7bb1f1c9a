package dev.mxshift.service;

import dev.mxshift.model.topic.TopicSpec;

import java.util.List;

/**
 * Every topic this service uses, created as the catalogue says and checked against the configuration
 * ({@link TopicProvisioner#ensure}), once at start with one admin client. A bean that reads or writes one of them takes
 * this as a parameter, which orders it after the check.
 */
public record ProvisionedTopics(List<TopicSpec> specs) {

    public ProvisionedTopics {
        specs = List.copyOf(specs);
    }
}
