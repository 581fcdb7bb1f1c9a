package dev.mxshift.service;

import java.util.List;

/** The service refuses to start: the cluster's topics are not as its configuration says ({@link TopicCheck}). */
public final class TopicsContradictConfiguration extends IllegalStateException {

    private final List<TopicCheck.Problem> problems;

    public TopicsContradictConfiguration(String bootstrap, List<TopicCheck.Problem> problems) {
        super("the topics at " + bootstrap + " contradict this service's configuration (decision 0043); it will not start:\n  - "
                + String.join("\n  - ", problems.stream().map(TopicCheck.Problem::sentence).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<TopicCheck.Problem> problems() {
        return problems;
    }
}
