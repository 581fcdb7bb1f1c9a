package dev.mxshift.model.dns;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MtaStsPolicyTest {

    private static final DomainName TARGET = DomainName.of("contoso-com.o-v1.mx.microsoft");

    @Test
    void aWildcardCoversExactlyOneLabel() {
        MtaStsPolicy wrong = MtaStsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmx: *.mx.microsoft\r\nmax_age: 604800\r\n");
        assertThat(wrong.covers(TARGET)).as("RFC 8461 section 4.1: *.mx.microsoft is one label deep").isFalse();
        assertThat(wrong.covers(DomainName.of("o-v1.mx.microsoft"))).isTrue();
        MtaStsPolicy letter = new MtaStsPolicy(MtaStsPolicy.Mode.ENFORCE, List.of("*.o-v1.mx.microsoft"), 86400);
        assertThat(letter.covers(TARGET)).isTrue();
        assertThat(letter.covers(DomainName.of("o-v1.mx.microsoft"))).as("the wildcard needs a label").isFalse();
        MtaStsPolicy exact = new MtaStsPolicy(MtaStsPolicy.Mode.TESTING, List.of("Contoso-com.O-v1.mx.microsoft"), 86400);
        assertThat(exact.covers(TARGET)).isTrue();
    }

    @Test
    void allowingTheNewHostKeepsTheOldPatternsAndAddsTheExactHost() {
        MtaStsPolicy before = new MtaStsPolicy(MtaStsPolicy.Mode.ENFORCE, List.of("*.mail.protection.outlook.com", "*.mx.microsoft"), 604800);
        MtaStsPolicy after = before.allowing(TARGET);
        assertThat(after.mx()).containsExactly("*.mail.protection.outlook.com", "*.mx.microsoft", TARGET.value());
        assertThat(after.covers(TARGET)).isTrue();
        assertThat(after.allowing(TARGET)).isSameAs(after);
        assertThat(after.text()).isEqualTo("version: STSv1\r\nmode: enforce\r\nmx: *.mail.protection.outlook.com\r\n"
                + "mx: *.mx.microsoft\r\nmx: contoso-com.o-v1.mx.microsoft\r\nmax_age: 604800\r\n");
        assertThat(MtaStsPolicy.parse(after.text())).isEqualTo(after);
    }

    @Test
    void parsingIsStrictAboutWhatRfc8461Requires() {
        assertThat(MtaStsPolicy.parse("version: STSv1\nmode: none\nmax_age: 0\n").mode()).isEqualTo(MtaStsPolicy.Mode.NONE);
        assertThat(MtaStsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 5\r\nx_ext: kept out\r\n").mx())
                .containsExactly("a.example");
        assertThatThrownBy(() -> MtaStsPolicy.parse("mode: enforce\r\nversion: STSv1\r\nmx: a.example\r\nmax_age: 5\r\n"))
                .hasMessageContaining("must start with 'version: STSv1'");
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmode: testing\r\nmx: a.example\r\nmax_age: 5\r\n"))
                .hasMessageContaining("appears 2 times");
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\r\nmode: strict\r\nmx: a.example\r\nmax_age: 5\r\n"))
                .hasMessageContaining("enforce, testing or none");
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 31557601\r\n"))
                .hasMessageContaining("31557600");
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmax_age: 5\r\n"))
                .hasMessageContaining("at least one mx line");
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmx: a.*.example\r\nmax_age: 5\r\n"))
                .hasMessageContaining("whole leftmost label");
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\r\nthis is not a field\r\n"))
                .hasMessageContaining("line 2");
    }
}
