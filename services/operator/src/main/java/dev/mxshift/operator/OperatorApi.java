package dev.mxshift.operator;

import dev.mxshift.operator.api.ApiErrors;
import dev.mxshift.operator.api.ApiSettings;
import dev.mxshift.operator.api.ApiTokens;
import dev.mxshift.operator.api.AuditLog;
import dev.mxshift.operator.api.BearerTokenSecurity;
import dev.mxshift.operator.api.PerTokenRateLimit;
import dev.mxshift.operator.api.RequestBodies;
import dev.mxshift.operator.console.ConsoleFeed;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The operator's HTTP API (documented in {@code openapi.yaml}, served at {@code /api/v1/openapi.yaml}): the same
 * operations as the command line, for a caller with a bearer token, on Spring MVC behind Spring Security (decision
 * 0021). A token scoped to a tenant sees and touches only that tenant's domains: a domain of another tenant answers
 * exactly as a domain that does not exist (404), a filter naming another tenant is 403, and a request that reaches
 * outside the tenant is refused whole with nothing written; no, an unknown, a revoked or an expired token is 401. HTTPS
 * from a PEM certificate; every call is audited as one JSON line; bodies, time and calls per token are limited.
 */
public final class OperatorApi implements AutoCloseable {

    private static final org.slf4j.Logger AUDIT = org.slf4j.LoggerFactory.getLogger("mxshift.audit");

    private final ConfigurableApplicationContext context;
    private final ApiSettings settings;

    /** Plain HTTP on a loopback address with the default limits, audit lines to the log. */
    public OperatorApi(InetSocketAddress address, EventLog log, ApiTokens tokens) {
        this(ApiSettings.plain(address), log, tokens, AUDIT::info);
    }

    public OperatorApi(ApiSettings settings, EventLog log, ApiTokens tokens, Consumer<String> audit) {
        this(settings, log, tokens, audit, SweepSources.Config.NONE);
    }

    /** As above, with the connectors {@code POST /inventory-from} lists (none: it answers 503). */
    OperatorApi(ApiSettings settings, EventLog log, ApiTokens tokens, Consumer<String> audit, SweepSources.Config connectors) {
        this.settings = settings;
        // The command line's logging stays as it is configured (warnings on standard error): standard output carries the audit.
        if (System.getProperty("org.springframework.boot.logging.LoggingSystem") == null) {
            System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        // The services' application.yml files are on this class path too (their code is): the API reads none of them.
        properties.put("spring.config.name", "mxshift-operator-api");
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.main.log-startup-info", "false");
        properties.put("server.address", settings.address().getAddress().getHostAddress());
        properties.put("server.port", Integer.toString(settings.address().getPort()));
        // a client that stops sending its request mid-way is dropped after this long
        properties.put("server.tomcat.connection-timeout", "20s");
        properties.put("spring.web.resources.add-mappings", "false");
        // Spring MVC's form filter would read a whole form-encoded PUT/PATCH/DELETE body before authentication, with no limit
        properties.put("spring.mvc.formcontent.filter.enabled", "false");
        if (settings.https()) {
            properties.put("spring.ssl.bundle.pem.api.keystore.certificate", "file:" + settings.tlsCertificate().toAbsolutePath());
            properties.put("spring.ssl.bundle.pem.api.keystore.private-key", "file:" + settings.tlsPrivateKey().toAbsolutePath());
            properties.put("server.ssl.bundle", "api");
        }
        // As command-line arguments, the highest precedence: no variable of the environment (SERVER_PORT) changes them.
        String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        this.context = new SpringApplicationBuilder(Wiring.class)
                .web(WebApplicationType.SERVLET)
                .initializers(ctx -> {
                    ctx.getBeanFactory().registerSingleton("eventLog", log);
                    ctx.getBeanFactory().registerSingleton("apiTokens", tokens);
                    ctx.getBeanFactory().registerSingleton("apiSettings", settings);
                    ctx.getBeanFactory().registerSingleton("auditSink", audit);
                    ctx.getBeanFactory().registerSingleton("inventoryConnectors", connectors);
                })
                .run(arguments);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public boolean https() {
        return settings.https();
    }

    /** The application behind the API, for tests that inspect its mappings. */
    ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }

    /** Only what the API needs: the services' own auto-configuration (Kafka bindings, the event-log consumer) stays out. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, SslAutoConfiguration.class,
            TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
            HttpMessageConvertersAutoConfiguration.class, SecurityFilterAutoConfiguration.class})
    @Import({BearerTokenSecurity.class, ApiErrors.class, DomainsEndpoint.class, ActionsEndpoint.class, ImportsEndpoint.class,
            DeadLettersEndpoint.class, OpenApiEndpoint.class, InventoryFromEndpoint.class, ConsoleEndpoint.class, FixesEndpoint.class,
            ApiOperations.class})
    static class Wiring implements WebMvcConfigurer {

        /** The API's worker threads: a token may hold half, so one token's slow calls cannot starve the others. */
        static final int CALL_THREADS = 8;
        static final int CALLS_IN_FLIGHT_PER_TOKEN = CALL_THREADS / 2;

        private final ApiSettings settings;

        Wiring(ApiSettings settings) {
            this.settings = settings;
        }

        /** The console's live feed: one reader of the state topic (through the API's view of it) while a page listens. */
        @Bean(destroyMethod = "close")
        ConsoleFeed consoleFeed(EventLog log) {
            return new ConsoleFeed(() -> log.snapshot().states(), java.time.Duration.ofMillis(700), java.time.Duration.ofSeconds(15), 4);
        }

        /**
         * The web console (decision 0031): static files from the jar under /console/, no build step and nothing from the
         * network; it calls this API with the token the operator pasted, so the server scopes it as any other caller.
         */
        @Override
        public void addResourceHandlers(ResourceHandlerRegistry registry) {
            registry.addResourceHandler("/console/**").addResourceLocations("classpath:/console/");
        }

        @Override
        public void addViewControllers(ViewControllerRegistry registry) {
            registry.addRedirectViewController("/", "/console/index.html");
            registry.addRedirectViewController("/console", "/console/index.html");
            registry.addRedirectViewController("/console/", "/console/index.html");
        }

        @Bean
        RequestBodies requestBodies() {
            return new RequestBodies(settings.maxBodyBytes(), settings.requestTimeout(), Clock.systemUTC());
        }

        /** Outermost, so that refusals by authentication and limits are audited too. */
        @Bean
        FilterRegistrationBean<AuditLog> auditLog(Consumer<String> auditSink) {
            FilterRegistrationBean<AuditLog> registration = new FilterRegistrationBean<>(new AuditLog(auditSink, Clock.systemUTC()));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }

        @Override
        public void addInterceptors(InterceptorRegistry registry) {
            registry.addInterceptor(new PerTokenRateLimit(settings.requestsPerSecond(), CALLS_IN_FLIGHT_PER_TOKEN));
        }

        /**
         * Every operation runs as an asynchronous call under the time limit: past it the caller is answered 503 TIMEOUT and
         * the call is interrupted (an append already sent to the event log stays; the answer says to check before asking again).
         */
        @Override
        public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
            ThreadPoolTaskExecutor calls = new ThreadPoolTaskExecutor();
            calls.setThreadNamePrefix("api-call-");
            calls.setCorePoolSize(CALL_THREADS);
            calls.setMaxPoolSize(CALL_THREADS);
            calls.setQueueCapacity(256);
            calls.initialize();
            configurer.setTaskExecutor(calls);
            configurer.setDefaultTimeout(settings.requestTimeout().toMillis());
        }
    }
}
