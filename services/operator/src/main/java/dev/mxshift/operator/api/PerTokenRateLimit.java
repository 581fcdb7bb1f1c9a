package dev.mxshift.operator.api;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

import java.time.Duration;

/**
 * Per token: at most {@code requestsPerSecond} calls a second (Resilience4j's rate limiter, one per token name) and at
 * most {@code inFlight} calls at once (Resilience4j's bulkhead), so one token's script cannot starve the others or the
 * event log. A call over either limit is 429 with {@code Retry-After}, before anything is done, and is not queued.
 * Counted once per call: the dispatch that delivers an asynchronous call's result is the same call.
 */
public final class PerTokenRateLimit implements HandlerInterceptor {

    private static final String HELD = PerTokenRateLimit.class.getName() + ".bulkhead";

    private final RateLimiterRegistry limiters;
    private final BulkheadRegistry bulkheads;

    public PerTokenRateLimit(int requestsPerSecond, int inFlight) {
        this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom().limitForPeriod(requestsPerSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build());
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom().maxConcurrentCalls(inFlight).maxWaitDuration(Duration.ZERO).build());
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        if (request.getDispatcherType() != DispatcherType.REQUEST
                || !(request.getAttribute(BearerTokenSecurity.CALLER) instanceof ApiTokens.Caller caller)) {
            return true;
        }
        RateLimiter limiter = limiters.rateLimiter("token-" + caller.name());
        if (handler instanceof org.springframework.web.method.HandlerMethod method
                && org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.class.isAssignableFrom(method.getReturnType().getParameterType())) {
            // a stream (the console's live feed) is long by design: it would hold a call's place for its whole life; the feed
            // limits streams per token itself, and opening one still counts against the rate
            return limiter.acquirePermission() || overRate(limiter, response);
        }
        Bulkhead bulkhead = bulkheads.bulkhead("token-" + caller.name());
        if (!bulkhead.tryAcquirePermission()) {
            response.setHeader("Retry-After", "1");
            ApiErrors.write(response, ApiProblem.Code.RATE_LIMITED, bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
                    + " calls of this token are still under way; try again when one has finished");
            return false;
        }
        if (limiter.acquirePermission()) {
            request.setAttribute(HELD, bulkhead);
            return true;
        }
        bulkhead.releasePermission();
        return overRate(limiter, response);
    }

    private static boolean overRate(RateLimiter limiter, HttpServletResponse response) throws java.io.IOException {
        // permits come back at the start of the next one-second period: waiting that long is always enough
        long seconds = Math.max(1, (limiter.getRateLimiterConfig().getLimitRefreshPeriod().toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        ApiErrors.write(response, ApiProblem.Code.RATE_LIMITED, "more than " + limiter.getRateLimiterConfig().getLimitForPeriod()
                + " calls a second with this token; try again in " + seconds + " s");
        return false;
    }

    /** At the end of the call's last dispatch (an asynchronous call's result, or its time-out). */
    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (request.getAttribute(HELD) instanceof Bulkhead held && !request.isAsyncStarted()) {
            request.removeAttribute(HELD);
            held.onComplete();
        }
    }
}
