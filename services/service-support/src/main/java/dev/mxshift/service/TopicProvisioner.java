package dev.mxshift.service;

import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.topic.TopicReplication;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics a service needs, as the catalogue specifies them (the event log kept forever, the state topic
 * compacted), before any binding does with broker defaults (a 7-day retention would delete the system of record).
 * An existing topic is left as it is, but the event log and the state topic must have the same partition count,
 * since a domain's state is written at its event's partition.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    /** How long a command waits for the broker before it says so: seconds, not the clients' default minute. */
    public static final java.time.Duration COMMAND_PATIENCE = java.time.Duration.ofSeconds(10);

    private TopicProvisioner() {
    }

    /**
     * Creates the missing topics of {@code specs} with {@code replication}, then checks every one against it and the
     * catalogue's partition count ({@link TopicCheck}): a service refuses to start on topics that contradict its
     * configuration, rather than run with fewer copies than the operator asked for.
     *
     * @throws TopicsContradictConfiguration naming each topic, what it has, what is configured and what to change
     */
    public static void ensure(KafkaClientSettings kafka, TopicReplication replication, List<TopicSpec> specs) {
        try (Admin admin = new KafkaClients(kafka).admin()) {
            int brokers = admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).size();
            // before creating: a factor above the broker count is refused by the broker with a less helpful sentence
            refuseIfAny(kafka, TopicCheck.decide(specs, replication, brokers, Map.of(), kafka.bootstrap()));
            // one request for all of them; each topic's answer is its own (one that exists is left as it is)
            Map<String, org.apache.kafka.common.KafkaFuture<Void>> created = admin.createTopics(specs.stream().map(spec -> {
                Map<String, String> config = new java.util.HashMap<>(spec.config());
                config.putAll(replication.config());
                return new NewTopic(spec.name(), spec.partitions(), (short) replication.factor()).configs(config);
            }).toList()).values();
            for (TopicSpec spec : specs) {
                try {
                    created.get(spec.name()).get(60, TimeUnit.SECONDS);
                    LOG.info("created topic {} ({} partitions, replication factor {}, {} {})", spec.name(), spec.partitions(), replication.factor(),
                            spec.config(), replication.config());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + spec.name() + " at " + kafka.bootstrap()
                                + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            refuseIfAny(kafka, TopicCheck.decide(specs, replication, brokers, observe(admin, specs.stream().map(TopicSpec::name).toList()), kafka.bootstrap()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not describe the cluster or its topics at " + kafka.bootstrap() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker at " + kafka.bootstrap() + " did not answer within 60 s while creating topics", e);
        }
    }

    private static void refuseIfAny(KafkaClientSettings kafka, List<TopicCheck.Problem> problems) {
        if (!problems.isEmpty()) {
            throw new TopicsContradictConfiguration(kafka.bootstrap(), problems);
        }
    }

    /** Partitions, fewest replicas and effective min.insync.replicas of each topic, waiting briefly for one just created. */
    static Map<String, ObservedTopic> observe(Admin admin, List<String> names) throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> described = describe(admin, names);
        List<ConfigResource> resources = names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(60, TimeUnit.SECONDS);
        Map<String, ObservedTopic> observed = new java.util.HashMap<>();
        for (ConfigResource resource : resources) {
            TopicDescription d = described.get(resource.name());
            ConfigEntry minInsync = configs.get(resource).get(TopicReplication.MIN_INSYNC_REPLICAS);
            observed.put(resource.name(), new ObservedTopic(resource.name(), d.partitions().size(),
                    d.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0),
                    minInsync == null || minInsync.value() == null ? 1 : Integer.parseInt(minInsync.value())));
        }
        return observed;
    }

    /** How often, and how far apart, a description is asked again while a topic created a moment ago is still unknown. */
    private static final io.github.resilience4j.retry.RetryConfig JUST_CREATED = io.github.resilience4j.retry.RetryConfig.custom()
            .maxAttempts(50)
            .waitDuration(java.time.Duration.ofMillis(200))
            .retryOnException(e -> e instanceof ExecutionException ee
                    && ee.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
            .build();

    private static Map<String, TopicDescription> describe(Admin admin, List<String> names) throws InterruptedException, ExecutionException, TimeoutException {
        // a topic created a moment ago is not known to every part of the broker yet
        io.github.resilience4j.retry.Retry retry = io.github.resilience4j.retry.Retry.of("describe-topics", JUST_CREATED);
        try {
            return retry.executeCallable(() -> admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS));
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("describing " + names + ": " + e.getMessage(), e);
        }
    }

    /**
     * The replication a command creates topics with: {@code MXSHIFT_TOPIC_REPLICATION} and {@code MXSHIFT_TOPIC_MIN_ISR}
     * (default 1), as the services read them; neither set, the broker's default replication factor and min.insync.replicas
     * (decision 0026: a command alone does not know the cluster's size).
     *
     * @throws IllegalArgumentException naming the variable whose value is not a count, or a combination that cannot hold
     */
    public static java.util.Optional<TopicReplication> commandReplication(Map<String, String> env) {
        String factor = env.get(TopicCheck.REPLICATION_ENV);
        String minInsync = env.get(TopicCheck.MIN_INSYNC_ENV);
        if (blank(factor) && blank(minInsync)) {
            return java.util.Optional.empty();
        }
        if (blank(factor)) {
            throw new IllegalArgumentException(TopicCheck.MIN_INSYNC_ENV + " is set (" + minInsync + ") but " + TopicCheck.REPLICATION_ENV
                    + " is not: set both, e.g. " + TopicCheck.REPLICATION_ENV + "=3 " + TopicCheck.MIN_INSYNC_ENV + "=2");
        }
        try {
            return java.util.Optional.of(new TopicReplication(count(TopicCheck.REPLICATION_ENV, factor),
                    blank(minInsync) ? 1 : count(TopicCheck.MIN_INSYNC_ENV, minInsync)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("MXSHIFT_") ? e.getMessage()
                    : TopicCheck.REPLICATION_ENV + "=" + factor + ", " + TopicCheck.MIN_INSYNC_ENV + "=" + minInsync + ": " + e.getMessage(), e);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static int count(String variable, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a whole number of replicas, got '" + value + "'", e);
        }
    }

    /** {@link #ensureForCommand(KafkaClientSettings, java.util.Optional, List, java.time.Duration)} with the environment's replication. */
    public static void ensureForCommand(KafkaClientSettings kafka, List<TopicSpec> specs, java.time.Duration patience) {
        java.util.Optional<TopicReplication> replication;
        try {
            replication = commandReplication(System.getenv());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        ensureForCommand(kafka, replication, specs, patience);
    }

    /**
     * For a command (import, status, confirm, ...) that may be the first thing to touch a fresh broker: creates the
     * topics of {@code specs} that are missing, as the catalogue specifies them, with the partition count of those that
     * exist (all topics share one, so a domain sits at the same partition in each), and {@code replication} (the
     * broker's defaults where empty). Fails within about {@code patience} with what to do: when the broker does not answer, or when this
     * principal may not create topics (then with the {@code kafka-topics.sh} commands an administrator runs).
     *
     * @throws IllegalStateException naming the broker, the topics and what to run
     */
    public static void ensureForCommand(KafkaClientSettings kafka, java.util.Optional<TopicReplication> replication, List<TopicSpec> specs,
                                        java.time.Duration patience) {
        int ms = (int) patience.toMillis();
        try (Admin admin = new KafkaClients(kafka).admin(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms,
                org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms))) {
            java.util.Set<String> existing = admin.listTopics().names().get(ms, TimeUnit.MILLISECONDS);
            List<TopicSpec> missing = specs.stream().filter(spec -> !existing.contains(spec.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            List<String> present = specs.stream().map(TopicSpec::name).filter(existing::contains).toList();
            int partitions = present.isEmpty() ? missing.get(0).partitions()
                    : admin.describeTopics(present).allTopicNames().get(ms, TimeUnit.MILLISECONDS).values().iterator().next().partitions().size();
            Map<String, org.apache.kafka.common.KafkaFuture<Void>> created = admin.createTopics(missing.stream().map(spec -> {
                Map<String, String> config = new java.util.HashMap<>(spec.config());
                replication.ifPresent(r -> config.putAll(r.config()));
                return new NewTopic(spec.name(), java.util.Optional.of(partitions), replication.map(r -> (short) r.factor())).configs(config);
            }).toList()).values();
            for (TopicSpec spec : missing) {
                try {
                    created.get(spec.name()).get(ms, TimeUnit.MILLISECONDS);
                    LOG.info("created topic {} ({} partitions, replication factor {}, {})", spec.name(), partitions,
                            replication.map(r -> Integer.toString(r.factor())).orElse("the broker's default"), spec.config());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(cannotCreate(kafka.bootstrap(), missing, partitions, replication, e.getCause()), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the topics at " + kafka.bootstrap(), e);
        } catch (TimeoutException e) {
            throw noAnswer(kafka, patience, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw noAnswer(kafka, patience, e.getCause());
            }
            throw new IllegalStateException("cannot list the topics at " + kafka.bootstrap() + ": " + e.getCause().getMessage()
                    + " (check --kafka-config: this principal needs DESCRIBE on the cluster's topics)", e.getCause());
        }
    }

    private static IllegalStateException noAnswer(KafkaClientSettings kafka, java.time.Duration patience, Throwable cause) {
        return new IllegalStateException("Kafka did not answer at " + kafka.bootstrap() + " within " + patience.toSeconds() + " s: is it"
                + " running? (the lab's: ./mxshift kafka start; else check --bootstrap and --kafka-config)", cause);
    }

    /** Why the topics could not be created, and the commands that create them as the catalogue says. */
    static String cannotCreate(String bootstrap, List<TopicSpec> missing, int partitions, java.util.Optional<TopicReplication> replication, Throwable why) {
        boolean forbidden = why instanceof org.apache.kafka.common.errors.AuthorizationException;
        StringBuilder b = new StringBuilder("cannot create the topic(s) ")
                .append(String.join(", ", missing.stream().map(TopicSpec::name).toList())).append(" at ").append(bootstrap).append(": ")
                .append(forbidden ? "this principal may not create topics (" + why.getClass().getSimpleName() + ")"
                        : String.valueOf(why.getMessage()).replaceAll("\\.+$", ""))
                .append(forbidden ? ". Start the services once with a principal that may (they create them), or have an administrator run:"
                        : replication.isPresent() ? ". Create them as the catalogue says:"
                        : ". Create them as the catalogue says (add --replication-factor N for what the cluster can hold):");
        for (TopicSpec spec : missing) {
            b.append("\n  kafka-topics.sh --bootstrap-server ").append(bootstrap).append(" --create --if-not-exists --topic ").append(spec.name())
                    .append(" --partitions ").append(partitions);
            replication.ifPresent(r -> b.append(" --replication-factor ").append(r.factor()));
            java.util.Map<String, String> config = new java.util.TreeMap<>(spec.config());
            replication.ifPresent(r -> config.putAll(r.config()));
            config.forEach((k, v) -> b.append(" --config ").append(k).append('=').append(v));
        }
        return b.toString();
    }

    /** Fails, naming both, when the two topics differ in partition count. */
    public static void requireSamePartitions(KafkaClientSettings kafka, String events, String state) {
        try (Admin admin = new KafkaClients(kafka).admin()) {
            Map<String, TopicDescription> d = describe(admin, List.of(events, state));
            int e = d.get(events).partitions().size();
            int s = d.get(state).partitions().size();
            if (e != s) {
                throw new IllegalStateException("topic " + state + " has " + s + " partitions but " + events + " has " + e
                        + ": they must be equal (a domain's state is kept at its event partition); recreate " + state + " with " + e
                        + " partitions and delete the consumer group " + StateProjector.groupFor(events) + ", so that it is rebuilt from the event log");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", ex);
        } catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("could not describe topics " + events + " and " + state + " at " + kafka.bootstrap(), ex);
        }
    }
}
