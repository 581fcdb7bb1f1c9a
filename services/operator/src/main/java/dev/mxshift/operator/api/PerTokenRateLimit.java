package dev.mxshift.operator.api;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

import java.time.Duration;

/**
 * At most {@code requestsPerSecond} calls a second per token (Resilience4j's rate limiter, one per token name): one
 * token's script cannot starve the others or the event log. A call over the limit is 429 with {@code Retry-After}, and
 * is not queued.
 */
public final class PerTokenRateLimit implements HandlerInterceptor {

    private final RateLimiterRegistry limiters;

    public PerTokenRateLimit(int requestsPerSecond) {
        this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom().limitForPeriod(requestsPerSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build());
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        if (!(request.getAttribute(BearerTokenSecurity.CALLER) instanceof ApiTokens.Caller caller)) {
            return true;
        }
        RateLimiter limiter = limiters.rateLimiter("token-" + caller.name());
        if (limiter.acquirePermission()) {
            return true;
        }
        // permits come back at the start of the next one-second period: waiting that long is always enough
        long seconds = Math.max(1, (limiter.getRateLimiterConfig().getLimitRefreshPeriod().toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        ApiErrors.write(response, ApiProblem.Code.RATE_LIMITED, "more than " + limiter.getRateLimiterConfig().getLimitForPeriod()
                + " calls a second with this token; try again in " + seconds + " s");
        return false;
    }
}
