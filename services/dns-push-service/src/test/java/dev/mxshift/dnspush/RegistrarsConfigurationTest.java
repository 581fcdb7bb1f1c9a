package dev.mxshift.dnspush;

import dev.mxshift.dnspush.parent.EppRegistrar;
import dev.mxshift.dnspush.parent.RegistrarWebhook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code mxshift.push.registrars}: a registrar without a type is a webhook, as before EPP; {@code type: epp} speaks EPP. */
class RegistrarsConfigurationTest {

    @Test
    void aRegistrarWithoutATypeIsAWebhookAndTypeEppIsAnEppRegistry(@TempDir Path dir) throws Exception {
        Path ca = dir.resolve("ca.pem");
        dev.mxshift.lab.LabPki pki = dev.mxshift.lab.LabPki.create();
        pki.write(dir);
        Path password = dir.resolve("password");
        Files.writeString(password, "epp-password-1");
        PushProperties properties = new PushProperties(List.of(), List.of(
                new PushProperties.Registrar("hoster-registrar", null, List.of("org"), Map.of("url", "http://127.0.0.1:9/registrar")),
                new PushProperties.Registrar("verisign", "EPP", List.of("com", "net."), Map.of("host", "epp.example", "ca-file", ca.toString(),
                        "client-id", "hoster-1", "password", "file:" + password))), List.of());
        var registrars = PushConfiguration.registrars(properties);
        assertThat(registrars.get("org")).isInstanceOf(RegistrarWebhook.class);
        assertThat(registrars.get("com")).isInstanceOf(EppRegistrar.class).isSameAs(registrars.get("net"));
    }

    @Test
    void anUnknownTypeOrBadEppSettingsStopTheServiceNamingTheRegistrar() {
        assertThatThrownBy(() -> PushConfiguration.registrars(new PushProperties(List.of(), List.of(
                new PushProperties.Registrar("r1", "rrp", List.of("com"), Map.of())), List.of())))
                .hasMessageContaining("mxshift.push.registrars r1: type 'rrp' is not one of webhook").hasMessageContaining("epp");
        assertThatThrownBy(() -> PushConfiguration.registrars(new PushProperties(List.of(), List.of(
                new PushProperties.Registrar("r2", "epp", List.of("com"), Map.of("host", "epp.example"))), List.of())))
                .hasMessageContaining("mxshift.push.registrars r2:").hasMessageContaining("needs the setting 'client-id'");
    }
}
