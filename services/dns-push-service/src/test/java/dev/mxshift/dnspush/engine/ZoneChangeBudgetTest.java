package dev.mxshift.dnspush.engine;

import dev.mxshift.model.testing.MovingClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ZoneChangeBudgetTest {

    @Test
    void aZoneGetsItsBudgetPerWindowAndOtherZonesTheirOwn() {
        MovingClock clock = new MovingClock(Instant.parse("2026-11-28T10:00:00Z"));
        ZoneChangeBudget budget = new ZoneChangeBudget(3, Duration.ofHours(1), clock);
        assertThat(budget.take("contoso.com")).isTrue();
        assertThat(budget.take("contoso.com")).isTrue();
        assertThat(budget.take("contoso.com")).isTrue();
        assertThat(budget.take("contoso.com")).as("the fourth write within the hour").isFalse();
        assertThat(budget.take("fabrikam.com")).isTrue();
        clock.advance(Duration.ofMinutes(61));
        assertThat(budget.take("contoso.com")).as("an hour later the window has moved").isTrue();
    }
}
