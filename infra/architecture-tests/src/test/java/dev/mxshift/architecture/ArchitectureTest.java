package dev.mxshift.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape the brief fixes, checked on the compiled classes of every module:
 * the model is pure Java, and services meet only through the model and the topics.
 */
class ArchitectureTest {

    private static final List<String> SERVICES = List.of("discovery", "validation", "recordgeneration", "dnspush");

    private static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.mxshift");

    @Test
    void theRulesSeeEveryModule() {
        assertThat(ALL.that(com.tngtech.archunit.base.DescribedPredicate.describe("model",
                c -> c.getPackageName().startsWith("dev.mxshift.model"))).size()).isGreaterThan(40);
        for (String service : SERVICES) {
            assertThat(ALL.stream().anyMatch(c -> c.getPackageName().equals("dev.mxshift." + service)))
                    .as("classes of the %s service imported", service).isTrue();
        }
    }

    @Test
    void theSharedModelUsesOnlyTheJdksPurePartsJacksonAndIcu() {
        ArchRule rule = classes().that().resideInAPackage("dev.mxshift.model..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "dev.mxshift.model..", "java.lang..", "java.util..", "java.time..", "java.math..",
                        "java.security..", "java.nio.charset..",
                        "com.fasterxml.jackson.annotation..", "tools.jackson..", "com.ibm.icu.text..")
                .because("shared-model is the language of the system: no Spring, no Kafka client, no I/O (brief, Modules)");
        rule.check(ALL);
    }

    @Test
    void theSharedModelKnowsNoSpringKafkaOrIo() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.mxshift.model..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "org.apache.kafka..", "java.io..", "java.nio.file..",
                        "java.nio.channels..", "java.net..", "java.sql..", "org.xbill..", "dev.mxshift.service..")
                .because("a pure model can be tested without a broker and replayed anywhere");
        rule.check(ALL);
    }

    /**
     * A record's canonical constructor is always public, so this rule, not the compiler, keeps {@code MigrationState}
     * the fold's output: a state built elsewhere could carry what no history gives. (Jackson reads carried states by
     * reflection, which is not a call.)
     */
    @Test
    void onlyTheWorkflowBuildsAMigrationState() {
        String state = "dev.mxshift.model.workflow.MigrationState";
        assertThat(ALL.get(state).getConstructorCallsToSelf()).as("the workflow's own calls are seen").isNotEmpty();
        ArchRule rule = noClasses().that().resideOutsideOfPackage("dev.mxshift.model.workflow")
                .should().callConstructorWhere(com.tngtech.archunit.base.DescribedPredicate.describe("the constructor of MigrationState",
                        call -> call.getTargetOwner().getName().equals(state)))
                .because("a domain's state is what Workflow.apply folds from its events (brief, Events and workflow)");
        rule.check(ALL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"discovery", "validation", "recordgeneration", "dnspush"})
    void noServiceDependsOnAnotherService(String service) {
        String[] others = SERVICES.stream().filter(s -> !s.equals(service)).map(s -> "dev.mxshift." + s + "..").toArray(String[]::new);
        ArchRule rule = noClasses().that().resideInAPackage("dev.mxshift." + service + "..")
                .should().dependOnClassesThat().resideInAnyPackage(others)
                .because("services talk only over Kafka topics (brief, Modules); got " + Arrays.toString(others));
        rule.check(ALL);
    }

    @Test
    void theSharedServiceAdapterHoldsNoServicesCode() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.mxshift.service..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        SERVICES.stream().map(s -> "dev.mxshift." + s + "..").toArray(String[]::new));
        rule.check(ALL);
    }

    @Test
    void theConnectorApiIsTheSpiAndNothingElse() {
        ArchRule rule = classes().that().resideInAPackage("dev.mxshift.connector")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.mxshift.connector", "java.lang..", "java.util..", "java.time..")
                .because("a hoster builds a connector against connector-api alone (issue 7): no model, no Spring, no mxshift internals;"
                        + " its limits are plain values (java.time's Duration), which the engine maps to Resilience4j");
        rule.check(ALL);
    }

    @Test
    void onlyTheConnectorsThemselvesKnowAConnectorsClass() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("dev.mxshift.dnspush.connectors..")
                .should().dependOnClassesThat().resideInAPackage("dev.mxshift.dnspush.connectors..")
                .because("the engine reaches every connector through the SPI, found by ServiceLoader, so a hoster's own is equal to the built-in ones");
        rule.check(ALL);
    }

    @Test
    void onlyTheCryptoTuningModuleChangesTheJvmsProviderList() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("dev.mxshift.cryptotuning..")
                .should().callMethod(java.security.Security.class, "insertProviderAt", java.security.Provider.class, int.class)
                .orShould().callMethod(java.security.Security.class, "addProvider", java.security.Provider.class)
                .orShould().callMethod(java.security.Security.class, "removeProvider", String.class)
                .because("a JCA provider in the JVM's list serves every caller that names none, the Kafka client's TLS included;"
                        + " CryptoTuning is the one way to install one (decision 0037)");
        rule.check(ALL);
    }

    @Test
    void theCryptoTuningIsInstalledByProgramsNotAsASideEffect() {
        List<String> callers = ALL.stream()
                .flatMap(c -> c.getMethodCallsFromSelf().stream())
                .filter(call -> call.getTargetOwner().getName().equals("dev.mxshift.cryptotuning.CryptoTuning")
                        && call.getName().startsWith("install"))
                .map(call -> call.getOrigin().getOwner().getSimpleName() + "." + call.getOrigin().getName())
                .distinct().sorted().toList();
        assertThat(callers).as("who installs the JVM-wide providers: a program's main (or the run its main and its tests call)")
                .isNotEmpty()
                .allSatisfy(caller -> assertThat(caller).matches(".*\\.(main|run)"));
    }

    @Test
    void theSharedServiceAdapterHoldsNoCryptography() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.mxshift.service..")
                .should().dependOnClassesThat().resideInAnyPackage("org.bouncycastle..", "dev.mxshift.cryptotuning..")
                .orShould().dependOnClassesThat().areAssignableTo(java.security.Provider.class)
                .because("every service loads service-support; JCA tuning lives in crypto-tuning, installed by the programs that want it");
        rule.check(ALL);
    }
}
