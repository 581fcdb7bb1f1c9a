package dev.mxshift.dnspush.engine;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class ZoneChangeBudgetTest {

    private static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-11-28T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aZoneGetsItsBudgetPerWindowAndOtherZonesTheirOwn() {
        MovingClock clock = new MovingClock();
        ZoneChangeBudget budget = new ZoneChangeBudget(3, Duration.ofHours(1), clock);
        assertThat(budget.take("contoso.com")).isTrue();
        assertThat(budget.take("contoso.com")).isTrue();
        assertThat(budget.take("contoso.com")).isTrue();
        assertThat(budget.take("contoso.com")).as("the fourth write within the hour").isFalse();
        assertThat(budget.take("fabrikam.com")).isTrue();
        clock.now = clock.now.plus(Duration.ofMinutes(61));
        assertThat(budget.take("contoso.com")).as("an hour later the window has moved").isTrue();
    }
}
