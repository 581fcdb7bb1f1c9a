package dev.mxshift.operator.api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;

import java.util.List;

/**
 * Spring Security for the operator API: every operation but the OpenAPI document needs a bearer token from the token
 * file ({@link ApiTokens}); no token, a malformed, unknown, revoked or expired one is 401 with {@code WWW-Authenticate:
 * Bearer}. An all-tenants token has the role HOSTER; dead letters (any tenant's) need it, so a tenant's token gets 403
 * there. Stateless: no session, no cookie, so no CSRF to defend against.
 */
@Configuration
@EnableWebSecurity
public class BearerTokenSecurity {

    /** A request attribute holding the authenticated caller, for the audit line written after the security context is gone. */
    public static final String CALLER = BearerTokenSecurity.class.getName() + ".caller";

    /** A bearer token as the request brought it (null token: the Authorization header was not a bearer token). */
    static final class Presented extends AbstractAuthenticationToken {
        private static final long serialVersionUID = 1L;
        private final transient String token;

        Presented(String token) {
            super(List.of());
            this.token = token;
        }

        @Override
        public Object getCredentials() {
            return token;
        }

        @Override
        public Object getPrincipal() {
            return null;
        }
    }

    /** An authenticated caller: its {@link ApiTokens.Caller} is the principal; no credential is kept. */
    static final class Authenticated extends AbstractAuthenticationToken {
        private static final long serialVersionUID = 1L;
        private final transient ApiTokens.Caller caller;

        Authenticated(ApiTokens.Caller caller) {
            super(List.<GrantedAuthority>of(new SimpleGrantedAuthority(caller.allTenants() ? "ROLE_HOSTER" : "ROLE_TENANT")));
            this.caller = caller;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return null;
        }

        @Override
        public Object getPrincipal() {
            return caller;
        }
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiTokens tokens) throws Exception {
        AuthenticationManager manager = authentication -> {
            String token = (String) authentication.getCredentials();
            if (token == null) {
                throw new BadCredentialsException("send the token as: Authorization: Bearer <token>");
            }
            return tokens.authenticate(token).<org.springframework.security.core.Authentication>map(Authenticated::new)
                    .orElseThrow(() -> new BadCredentialsException("the token is not known, was revoked or has expired"));
        };
        AuthenticationFilter bearer = new AuthenticationFilter(manager, BearerTokenSecurity::presented);
        // the contract is for everyone: a stale token sent along with it does not hide it; the console's files hold no data
        bearer.setRequestMatcher(request -> request.getRequestURI().startsWith("/api/")
                && !(request.getMethod().equals("GET") && request.getRequestURI().equals("/api/v1/openapi.yaml")));
        bearer.setSuccessHandler((request, response, authentication) ->
                request.setAttribute(CALLER, authentication.getPrincipal()));
        bearer.setFailureHandler((request, response, e) -> unauthenticated(response, e.getMessage()));
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                // the console runs only its own files: no inline script, nothing from elsewhere, never framed (decision 0031)
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; script-src 'self'; style-src 'self'; "
                        + "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")))
                .addFilterBefore(bearer, AuthorizationFilter.class)
                .authorizeHttpRequests(a -> a
                        // an async call's completion and an error page belong to a request already authorised
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/v1/openapi.yaml").permitAll()
                        // the console's static files (the page asks for the token itself and sends it with every call)
                        .requestMatchers(HttpMethod.GET, "/", "/console", "/console/", "/console/*").permitAll()
                        .requestMatchers("/api/v1/dead-letters", "/api/v1/dead-letters/**").hasRole("HOSTER")
                        .anyRequest().authenticated())
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> unauthenticated(response, "send a token: Authorization: Bearer <token>"))
                        .accessDeniedHandler((request, response, ex) -> ApiErrors.write(response, ApiProblem.Code.FORBIDDEN_TENANT,
                                "dead letters may be any tenant's: an all-tenants token only")));
        return http.build();
    }

    private static AbstractAuthenticationToken presented(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null) {
            return null;
        }
        String[] parts = header.strip().split("\\s+");
        return new Presented(parts.length == 2 && parts[0].equalsIgnoreCase("Bearer") ? parts[1] : null);
    }

    private static void unauthenticated(jakarta.servlet.http.HttpServletResponse response, String message) throws java.io.IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"mxshift\"");
        ApiErrors.write(response, ApiProblem.Code.UNAUTHENTICATED, message);
    }
}
