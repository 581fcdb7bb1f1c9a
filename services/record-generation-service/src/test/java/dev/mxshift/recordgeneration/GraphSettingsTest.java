package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.TenantId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Graph's configuration: off when no URL is set; every mistake stops the service naming the key, never echoing a secret. */
class GraphSettingsTest {

    private static final Function<String, String> ENV = Map.of("GRAPH_TOKEN", "eyJ.secret.token", "CONTOSO_TOKEN", "eyJ.contoso")::get;
    private static final Duration M = Duration.ofMinutes(10);

    @Test
    void withoutABaseUrlGraphIsOff() {
        assertThat(GraphSettings.of("", "env:GRAPH_TOKEN", "", 4, M, M, 4, M, ENV)).isEmpty();
        assertThat(GraphSettings.of(null, null, null, 0, null, null, 0, null, ENV)).isEmpty();
    }

    @Test
    void eachTenantUsesItsOwnTokenOrTheDefault() {
        GraphSettings s = GraphSettings.of("https://graph.microsoft.com/v1.0/", "env:GRAPH_TOKEN", "tenant-contoso=env:CONTOSO_TOKEN",
                4, M, M, 4, M, ENV).orElseThrow();
        assertThat(s.baseUrl()).hasToString("https://graph.microsoft.com/v1.0");
        assertThat(s.tokenFor(TenantId.of("tenant-contoso"))).hasValueSatisfying(t -> assertThat(t).hasToString("env:CONTOSO_TOKEN"));
        assertThat(s.tokenFor(TenantId.of("tenant-other"))).hasValueSatisfying(t -> assertThat(t).hasToString("env:GRAPH_TOKEN"));
        assertThat(s.tenantsServed()).isEqualTo("*");
        GraphSettings listed = GraphSettings.of("https://graph.microsoft.com/v1.0", "", "tenant-contoso=env:CONTOSO_TOKEN", 4, M, M, 4, M, ENV).orElseThrow();
        assertThat(listed.tokenFor(TenantId.of("tenant-other"))).isEmpty();
        assertThat(listed.tenantsServed()).isEqualTo("tenant-contoso");
    }

    @Test
    void aBadValueNamesItsKey() {
        assertThatThrownBy(() -> GraphSettings.of("graph.microsoft.com", "env:GRAPH_TOKEN", "", 4, M, M, 4, M, ENV))
                .hasMessageStartingWith("mxshift.record-generation.graph.base-url must be an http(s) URL");
        assertThatThrownBy(() -> GraphSettings.of("https://graph.microsoft.com/v1.0", "", "", 4, M, M, 4, M, ENV))
                .hasMessageStartingWith("mxshift.record-generation.graph.token is needed");
        assertThatThrownBy(() -> GraphSettings.of("https://graph.microsoft.com/v1.0", "env:MISSING", "", 4, M, M, 4, M, ENV))
                .hasMessage("mxshift.record-generation.graph.token secret env:MISSING is not set in the environment");
        assertThatThrownBy(() -> GraphSettings.of("https://graph.microsoft.com/v1.0", "eyJ.pasted.token", "", 4, M, M, 4, M, ENV))
                .hasMessageStartingWith("mxshift.record-generation.graph.token a secret reference is env:NAME or file:/path")
                .hasMessageNotContaining("eyJ.pasted.token");
        assertThatThrownBy(() -> GraphSettings.of("https://graph.microsoft.com/v1.0", "", "tenant-contoso", 4, M, M, 4, M, ENV))
                .hasMessageStartingWith("mxshift.record-generation.graph.tenant-tokens lists TENANT=");
        assertThatThrownBy(() -> GraphSettings.of("https://graph.microsoft.com/v1.0", "env:GRAPH_TOKEN", "", 0, M, M, 4, M, ENV))
                .hasMessageStartingWith("mxshift.record-generation.graph.requests-per-second must be at least 1");
        assertThatThrownBy(() -> GraphSettings.of("https://graph.microsoft.com/v1.0", "env:GRAPH_TOKEN", "", 4, Duration.ZERO, M, 4, M, ENV))
                .hasMessageStartingWith("mxshift.record-generation.graph.look-again must be a positive duration");
    }
}
