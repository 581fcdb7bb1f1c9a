package dev.mxshift.service;

import dev.mxshift.model.topic.TopicSpec;

import java.util.List;

/**
 * Topics a service needs besides the event log, the state topic and its dead letters (the record-generation service's
 * gate holds and Graph targets, for instance): declared as a bean, created and checked with those in one request at
 * start ({@link ProvisionedTopics}), before anything reads or writes them.
 */
public record ServiceTopics(List<TopicSpec> specs) {

    public ServiceTopics {
        specs = List.copyOf(specs);
    }
}
