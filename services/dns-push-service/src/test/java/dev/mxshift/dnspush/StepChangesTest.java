package dev.mxshift.dnspush;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.dnspush.engine.PushOutcome;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.StepApplied;
import dev.mxshift.model.event.StepApplyFailed;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 27: what a provider or a webhook says enters an event capped, with a marker that it was cut. */
class StepChangesTest {

    /** An error page of a provider that answers HTML: 300,000 characters. */
    private static final String PAGE = "HTTP 502 <html>" + "<p>bad gateway</p>".repeat(300_000 / 18) + "</html>";

    @Test
    void aProvidersLongErrorIsCutWithAMarker() {
        StepApplyFailed failed = (StepApplyFailed) StepChanges.event(Direction.FORWARD, 2,
                new PushOutcome.Failed(ConnectorException.Kind.RETRYABLE, PAGE));
        assertThat(failed.reason()).startsWith("HTTP 502 <html><p>bad gateway</p>")
                .endsWith(" [... cut: " + (PAGE.length() - ProviderText.LIMIT) + " more characters]");
        assertThat(failed.reason().length()).isLessThan(ProviderText.LIMIT + 50);
    }

    @Test
    void longEvidenceAndConflictDetailsAreCutToo() {
        StepApplied applied = (StepApplied) StepChanges.event(Direction.FORWARD, 1, new PushOutcome.Applied(PAGE));
        StepApplied same = (StepApplied) StepChanges.event(Direction.FORWARD, 1, new PushOutcome.AlreadyInPlace(PAGE));
        StepApplyFailed conflict = (StepApplyFailed) StepChanges.event(Direction.ROLLBACK, 1, new PushOutcome.Conflict(null, null, PAGE));
        for (String text : new String[]{applied.evidence(), same.evidence(), conflict.reason()}) {
            assertThat(text.length()).isLessThan(ProviderText.LIMIT + 50);
            assertThat(text).contains("[... cut: ");
        }
    }

    @Test
    void aShortTextIsKeptWhole() {
        String evidence = "PowerDNS lab-powerdns accepted the PATCH of contoso.com MX";
        assertThat(((StepApplied) StepChanges.event(Direction.FORWARD, 1, new PushOutcome.Applied(evidence))).evidence()).isEqualTo(evidence);
        String exactly = "x".repeat(ProviderText.LIMIT);
        assertThat(ProviderText.capped(exactly)).isEqualTo(exactly);
    }

    @Test
    void aCutNeverSplitsACharacter() {
        // an emoji (two chars) astride the limit
        String text = "a".repeat(ProviderText.LIMIT - 1) + "\uD83D\uDCE8" + "tail";
        String cut = ProviderText.capped(text);
        assertThat(cut).startsWith("a".repeat(ProviderText.LIMIT - 1) + " [... cut: ");
        assertThat(cut).doesNotContain("\uD83D");
    }
}
