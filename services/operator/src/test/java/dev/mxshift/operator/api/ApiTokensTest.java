package dev.mxshift.operator.api;

import dev.mxshift.model.testing.MovingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiTokensTest {

    @Test
    void anEditThatKeepsTheFilesSizeAndTimeIsSeenWithinFiveSeconds(@TempDir Path dir) throws Exception {
        ApiTokens.NewToken first = ApiTokens.generate("portal", "t-a");
        ApiTokens.NewToken second = ApiTokens.generate("portal", "t-a");
        Path file = dir.resolve("tokens");
        Files.writeString(file, first.line() + "\n");
        FileTime time = Files.getLastModifiedTime(file);
        MovingClock clock = new MovingClock(Instant.parse("2026-12-06T00:00:00Z"));
        ApiTokens tokens = ApiTokens.read(file, clock, w -> { });
        assertThat(tokens.authenticate(first.token())).isPresent();
        // the hash replaced by another of the same length, the modification time put back: size and time say nothing changed
        Files.writeString(file, second.line() + "\n");
        Files.setLastModifiedTime(file, time);
        clock.advance(Duration.ofSeconds(6));
        assertThat(tokens.authenticate(first.token())).as("the replaced token").isEmpty();
        assertThat(tokens.authenticate(second.token())).isPresent();
    }

    @Test
    void anExpiredTokenIsRefusedAndABrokenFileAdmitsNobodyUntilFixed(@TempDir Path dir) throws Exception {
        MovingClock clock = new MovingClock(Instant.parse("2026-12-06T00:00:00Z"));
        ApiTokens.NewToken lasting = ApiTokens.generate("noc", "*");
        ApiTokens.NewToken brief = ApiTokens.generate("contractor", "t-a", clock.instant().plus(Duration.ofHours(1)));
        Path file = dir.resolve("tokens");
        Files.writeString(file, lasting.line() + "\n" + brief.line() + "\n");
        List<String> warnings = new ArrayList<>();
        ApiTokens tokens = ApiTokens.read(file, clock, warnings::add);
        assertThat(tokens.authenticate(brief.token())).hasValueSatisfying(c -> assertThat(c.tenant()).isEqualTo("t-a"));
        clock.advance(Duration.ofHours(1));
        assertThat(tokens.authenticate(brief.token())).as("at its expiry").isEmpty();
        assertThat(tokens.authenticate(lasting.token())).hasValueSatisfying(c -> assertThat(c.allTenants()).isTrue());
        Files.writeString(file, lasting.line() + "\nnot a token line\n");
        clock.advance(Duration.ofSeconds(6));
        assertThat(tokens.authenticate(lasting.token())).as("a file that does not read admits nobody").isEmpty();
        assertThat(warnings).singleElement().asString().contains(file + ":2");
        assertThat(ApiTokens.generate("x", "t-a").toString()).doesNotContain("mxs_");
        assertThatThrownBy(() -> ApiTokens.read(file, clock, w -> { })).hasMessageContaining(":2: expected NAME SCOPE SHA256-HEX");
    }
}
