package dev.mxshift.operator;

import dev.mxshift.operator.api.ApiTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code ./mxshift demo} prints for the console ({@code api --new-token demo}): its URL and an all-tenants token
 * that the token file admits, the file owner-only, an existing file's tokens kept.
 */
class DemoConsoleAnnouncementTest {

    @Test
    void theDemosTokenIsAddedToAnOwnerOnlyFileAndAdmitsAllTenants(@TempDir Path dir) throws Exception {
        Path tokens = dir.resolve("demo-console").resolve("api-tokens");
        ApiTokens.NewToken made = ApiCommand.addAllTenantsToken(tokens, "demo");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens))).isEqualTo("rw-------");
        assertThat(Files.readString(tokens)).doesNotContain(made.token()).startsWith("demo * ");
        ApiTokens.NewToken second = ApiCommand.addAllTenantsToken(tokens, "demo-2");
        List<String> warnings = new ArrayList<>();
        ApiTokens read = ApiTokens.read(tokens, Clock.systemUTC(), warnings::add);
        assertThat(read.authenticate(made.token())).hasValue(new ApiTokens.Caller("demo", null));
        assertThat(read.authenticate(second.token())).hasValue(new ApiTokens.Caller("demo-2", null));
        assertThat(warnings).isEmpty();
    }

    @Test
    void theAnnouncementNamesTheConsolesUrlAndTheToken() {
        String text = ApiCommand.announcement("http", "127.0.0.1", 8090, "mxs_abc");
        assertThat(text.lines()).containsExactly(
                "console: http://127.0.0.1:8090/ (the operator console; the API is at http://127.0.0.1:8090/api/v1/)",
                "console: sign in with this all-tenants token (shown once): mxs_abc");
    }
}
