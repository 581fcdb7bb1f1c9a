package dev.mxshift.operator.api;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One JSON line per API call, when its answer is complete: time, actor (the token's name, never the token), its
 * tenant scope, channel, operation, the domains it touched ({@link Touched}) and the status. Outermost filter, so that
 * refusals by authentication and limits are audited too.
 */
public final class AuditLog extends OncePerRequestFilter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Consumer<String> sink;
    private final Clock clock;

    public AuditLog(Consumer<String> sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /** The console's static files are no call on anybody's data. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Touched touched = Touched.of(request);
        String operation = request.getMethod() + " " + request.getRequestURI();
        boolean async = false;
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
            if (request.isAsyncStarted()) {
                async = true;
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        write(request, operation, touched, response.getStatus());
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                    }
                });
            }
        } finally {
            if (!async) {
                // an exception that escaped every handler (a client that went away mid-answer) is no 200, whatever was set
                write(request, operation, touched, failed ? 500 : response.getStatus());
            }
        }
    }

    private void write(HttpServletRequest request, String operation, Touched touched, int status) {
        ApiTokens.Caller caller = request.getAttribute(BearerTokenSecurity.CALLER) instanceof ApiTokens.Caller c ? c : null;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        line.put("actor", caller == null ? null : caller.name());
        line.put("tenantScope", caller == null ? null : caller.allTenants() ? "*" : caller.tenant());
        line.put("channel", "API");
        line.put("operation", operation);
        line.put("domains", touched.domains());
        line.put("domainCount", touched.count());
        line.put("status", status);
        sink.accept(JSON.writeValueAsString(line));
    }
}
