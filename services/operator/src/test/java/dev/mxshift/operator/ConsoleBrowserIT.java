package dev.mxshift.operator;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.operator.api.ApiSettings;
import dev.mxshift.operator.api.ApiTokens;
import dev.mxshift.service.EventWriter;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.service.KafkaClients;
import dev.mxshift.service.StateProjector;
import dev.mxshift.testsupport.Closing;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import tools.jackson.databind.JsonNode;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console in a real browser (Debian's Chromium, headless, through its chromedriver) against the operator API on a
 * real broker, with the state projector the services run projecting every event: a tenant's token shows that tenant's
 * domains only; a group of stopped domains is replayed with one button and leaves its group; a wave is started and its
 * progress bar advances, live, as its domains complete; a domain's timeline names who did what; an all-tenants token sees
 * and replays dead letters. Each view is saved as a screenshot under target/console-screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private static final ApiTokens.NewToken TENANT_A = ApiTokens.generate("t-a-ops", "t-a");
    private static final ApiTokens.NewToken HOSTER = ApiTokens.generate("noc", "*");

    private static final List<DomainName> WAVE = List.of(DomainName.of("wave-1-a.example"), DomainName.of("wave-2-a.example"),
            DomainName.of("wave-3-a.example"), DomainName.of("wave-4-a.example"));
    private static final List<DomainName> INSECURE = List.of(DomainName.of("insecure-1-a.example"), DomainName.of("insecure-2-a.example"),
            DomainName.of("insecure-3-a.example"));
    /** Microsoft has not given it its new MX host yet: the round trip's domain. */
    private static final DomainName TARGET_UNKNOWN = DomainName.of("target-a.example");
    private static final DomainName FOREIGN_HELD = DomainName.of("victim-b.example");
    private static final DomainName FOREIGN_INSECURE = DomainName.of("insecure-b.example");
    /** The other tenant's completed domain: in its chart, never in t-a's. */
    private static final DomainName FOREIGN_DONE = DomainName.of("done-b.example");

    private static final TopicSpec EVENTS = TestTopics.unique(TopicCatalogue.defaults().events());
    private static final TopicSpec STATE = TestTopics.unique(TopicCatalogue.defaults().state());
    private static final String DEAD_LETTERS = EVENTS.name() + ".dlt.dns-push-service";

    private static KafkaClientSettings kafka;
    private static StateProjector projector;
    private static EventLog log;
    private static OperatorApi api;
    private static String base;
    private static ChromeDriver browser;
    private static final List<String> AUDIT = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void aHosterWithTwoTenantsAndTheConsole() throws Exception {
        ChromeDriverService service = browserService();
        kafka = KafkaClientSettings.plaintext(KafkaTestBroker.bootstrapServers());
        TestTopics.create(KafkaTestBroker.bootstrapServers(), EVENTS, STATE,
                new TopicSpec(DEAD_LETTERS, EVENTS.key(), 1, Map.of(), "dead letters of the push service"));
        projector = new StateProjector(kafka, EVENTS.name(), STATE.name(), "console-it", new EventCodec(), new SimpleMeterRegistry()).start();

        List<EventEnvelope> events = new ArrayList<>();
        for (DomainName d : WAVE) {
            events.addAll(lately(held(d, TenantId.of("t-a")).events()));
        }
        events.addAll(lately(held(FOREIGN_HELD, TenantId.of("t-b")).events()));
        for (DomainName d : INSECURE) {
            events.addAll(lately(insecure(d, TenantId.of("t-a")).events()));
        }
        events.addAll(lately(targetUnknown(TARGET_UNKNOWN, TenantId.of("t-a")).events()));
        DomainHistory foreignInsecure = insecure(FOREIGN_INSECURE, TenantId.of("t-b"));
        events.addAll(foreignInsecure.events());
        events.addAll(completed(FOREIGN_DONE, TenantId.of("t-b")).events());
        try (EventWriter writer = new EventWriter(new KafkaClients(kafka), EVENTS.name())) {
            writer.appendAll(events);
        }
        // a dead letter of the push service: an event it could not process (an old copy: replayed, it is stale and harmless)
        try (KafkaProducer<byte[], byte[]> producer = new KafkaClients(kafka).producer(Map.of())) {
            ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(DEAD_LETTERS, FOREIGN_INSECURE.value().getBytes(StandardCharsets.UTF_8),
                    new EventCodec().encode(foreignInsecure.events().get(0)));
            letter.headers().add("x-exception-message", "connector lab-powerdns: HTTP 500 from the provider".getBytes(StandardCharsets.UTF_8));
            letter.headers().add("x-original-topic", EVENTS.name().getBytes(StandardCharsets.UTF_8));
            letter.headers().add("x-original-partition", "0".getBytes(StandardCharsets.UTF_8));
            letter.headers().add("x-original-offset", "7".getBytes(StandardCharsets.UTF_8));
            producer.send(letter).get(30, TimeUnit.SECONDS);
        }

        log = new EventLog(kafka, EVENTS.name(), STATE.name());
        await().atMost(Duration.ofSeconds(60)).until(() -> log.snapshot().states().size() == events.stream().map(EventEnvelope::domain).distinct().count());
        Path tokens = Files.createTempDirectory("console-it").resolve("api-tokens");
        Files.writeString(tokens, TENANT_A.line() + "\n" + HOSTER.line() + "\n");
        api = new OperatorApi(ApiSettings.plain(new InetSocketAddress("127.0.0.1", 0)).withLimits(1 << 20, Duration.ofSeconds(60), 1000)
                .withConfirmWait(Duration.ofSeconds(30)), log, ApiTokens.read(tokens), AUDIT::add);
        base = "http://127.0.0.1:" + api.port();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1366,768", "--user-data-dir=" + Files.createTempDirectory("console-chromium"));
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1366, 768));
        Files.createDirectories(SCREENSHOTS);
    }

    /** Debian's chromedriver, named explicitly so that Selenium never tries to download one; missing: the command that installs it. */
    static ChromeDriverService browserService() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the console's browser tests need Debian's Chromium and its driver (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): apt-get install -y chromium chromium-driver (./mxshift test installs them when run as root)");
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        return new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    }

    /**
     * The events as if written in the last half hour rather than on the test histories' fixed day, so that the chart's
     * buckets and the screenshots look like a run under way (only events without timers are moved).
     */
    private static List<EventEnvelope> lately(List<EventEnvelope> events) {
        Duration by = Duration.between(DomainHistory.EPOCH, java.time.Instant.now().minus(Duration.ofMinutes(25)));
        return events.stream().map(e -> new EventEnvelope(e.eventId(), e.domain(), e.tenant(), e.sequence(), e.causationId(),
                e.occurredAt().plus(by), e.schemaVersion(), e.payload(), e.state(), e.actor())).toList();
    }

    private static DomainHistory held(DomainName d, TenantId tenant) {
        DomainHistory h = new DomainHistory(d, tenant);
        h.add(new MigrationRequested(ProviderRef.of("powerdns-lab", d.value()), Fixtures.targetHostOf(d), "w1", List.of(), "inventory", true));
        return h;
    }

    private static DomainHistory insecure(DomainName d, TenantId tenant) {
        DomainHistory h = new DomainHistory(d, tenant);
        h.add(new MigrationRequested(ProviderRef.of("powerdns-lab", d.value()), Fixtures.targetHostOf(d), "w0", List.of(), "inventory", false));
        h.add(CooperativeWorld.successorOf(h.state()));
        h.add(new PreflightBlocked(List.of(new Finding("ZONE_INSECURE", "the zone is not DNSSEC-secure (NO_DS: no DS at the parent)",
                "sign the zone, or set its unsigned-zone policy to sign or migrate-insecure"))));
        return h;
    }

    private static DomainHistory completed(DomainName d, TenantId tenant) {
        DomainHistory h = new DomainHistory(d, tenant);
        h.add(new MigrationRequested(ProviderRef.of("powerdns-lab", d.value()), Fixtures.targetHostOf(d), "w0", List.of(), "inventory", false));
        while (h.state().status() != WorkflowStatus.COMPLETED) {
            h.add(CooperativeWorld.successorOf(h.state()));
        }
        return h;
    }

    private static DomainHistory targetUnknown(DomainName d, TenantId tenant) {
        DomainHistory h = new DomainHistory(d, tenant);
        h.add(new MigrationRequested(ProviderRef.of("powerdns-lab", d.value()), null, "w0", List.of(), "inventory", false));
        h.add(CooperativeWorld.successorOf(h.state()));
        h.add(new PreflightBlocked(List.of(new Finding("TARGET_UNKNOWN", "Microsoft has not assigned the new MX host for this domain",
                "run Enable-DnssecForVerifiedDomain and import its export"))));
        return h;
    }

    @AfterAll
    static void stop() throws Exception {
        Closing.closeAll(browser == null ? null : browser::quit, api, log, projector);
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void signIn(ApiTokens.NewToken token) {
        browser.get(base + "/");
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.id("token")).isEmpty());
        type(By.id("token"), token.token());
        click(By.id("sign-in"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "live".equals(browser.findElement(By.id("live")).getText())
                && !browser.findElements(By.id("summary")).isEmpty());
    }

    /** The element's text, or "" while it is not there (or was just replaced: the page re-renders as events arrive). */
    private static String text(By by) {
        try {
            List<WebElement> found = browser.findElements(by);
            return found.isEmpty() ? "" : found.get(0).getText();
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return "";
        }
    }

    /** Clicks what the selector finds, again if the page redrew it in between (it does as live updates arrive). */
    private static void click(By by) {
        await().atMost(Duration.ofSeconds(20)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
                .until(() -> {
                    browser.findElement(by).click();
                    return true;
                });
    }

    /** Types into the field the selector finds, from empty, again if the page redrew it meanwhile. */
    private static void type(By by, String text) {
        await().atMost(Duration.ofSeconds(20)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
                .until(() -> {
                    WebElement field = browser.findElement(by);
                    field.clear();
                    field.sendKeys(text);
                    return true;
                });
    }

    /** Marks the page; a reload would lose the mark, so a test that finds it again saw the page change without one. */
    private static void markThePage() {
        ((JavascriptExecutor) browser).executeScript("window.consoleItMark = 'not reloaded';");
    }

    private static boolean stillTheSamePage() {
        return "not reloaded".equals(((JavascriptExecutor) browser).executeScript("return window.consoleItMark;"));
    }

    @Test
    @Order(1)
    void aTenantsTokenShowsThatTenantsDomainsOnly() throws Exception {
        browser.get(base + "/");
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.id("token")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("label[for=token]")).getText()).isEqualTo("API token");
        screenshot("login");

        signIn(TENANT_A);
        assertThat(text(By.id("who"))).isEqualTo("t-a-ops · tenant t-a");
        assertThat(text(By.id("summary"))).startsWith("8 domains:");
        assertThat(text(By.cssSelector("[data-status=BLOCKED]"))).isEqualTo("4");
        assertThat(browser.findElement(By.id("nav-dead-letters")).isDisplayed()).as("dead letters are the hoster's").isFalse();
        // the chart comes from the event log, so the stops before the page opened are in it; the other tenant's are not
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.id("chart")).isEmpty());
        assertThat(browser.findElement(By.id("chart")).getAttribute("data-stopped")).as("t-a's 4 stops, not t-b's").isEqualTo("4");
        assertThat(browser.findElement(By.id("chart")).getAttribute("data-completed")).as("t-b's completion is not t-a's").isEqualTo("0");
        assertThat(text(By.id("rate"))).startsWith("0 completed, 4 stopped since ").contains("no completion lately");
        screenshot("overview");

        browser.get(base + "/console/index.html#/domains");
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElements(By.cssSelector("tr[data-domain]")).size() == 8);
        assertThat(browser.getPageSource()).doesNotContain(FOREIGN_HELD.value()).doesNotContain(FOREIGN_INSECURE.value()).doesNotContain("t-b");
        screenshot("domains");
    }

    @Test
    @Order(2)
    void theApiRefusesTheOtherTenantsDomainToTheSameToken() throws Exception {
        HttpResponse<String> foreign = ApiFixture.call(HttpClient.newHttpClient(), base + "/api/v1/domains/" + FOREIGN_HELD.value(), "GET",
                TENANT_A.token(), null, null);
        assertThat(foreign.statusCode()).isEqualTo(404);
        HttpResponse<String> act = ApiFixture.call(HttpClient.newHttpClient(), base + "/api/v1/actions/start", "POST", TENANT_A.token(),
                "{\"domains\":[\"" + FOREIGN_HELD.value() + "\"]}", "application/json");
        assertThat(act.statusCode()).isEqualTo(404);
        HttpResponse<String> list = ApiFixture.call(HttpClient.newHttpClient(), base + "/api/v1/console/domains", "GET", TENANT_A.token(), null, null);
        JsonNode domains = Json.MAPPER.readTree(list.body()).path("domains");
        assertThat(domains).hasSize(8).allSatisfy(line -> assertThat(line.path("tenant").asString()).isEqualTo("t-a"));
        HttpResponse<String> otherTenant = ApiFixture.call(HttpClient.newHttpClient(), base + "/api/v1/console/domains?tenant=t-b", "GET",
                TENANT_A.token(), null, null);
        assertThat(otherTenant.statusCode()).isEqualTo(403);
        HttpResponse<String> stream = ApiFixture.firstEvent(base + "/api/v1/console/events", TENANT_A.token());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).startsWith("event:hello").contains("\"tenant\":\"t-a\"");
        assertThat(log.history(FOREIGN_HELD)).as("nothing written for the other tenant").hasSize(1);
    }

    @Test
    @Order(3)
    void aGroupOfStoppedDomainsIsReplayedWithOneButtonAndLeavesItsGroupLive() throws Exception {
        click(By.cssSelector("#nav a[data-view=groups]"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "3".equals(text(By.cssSelector("[data-count=ZONE_INSECURE]"))));
        assertThat(text(By.cssSelector("[data-group=ZONE_INSECURE] .todo"))).startsWith("sign the zone");
        assertThat(text(By.cssSelector("[data-count=ON_HOLD]"))).as("the tenant's own held domains only").isEqualTo("4");
        click(By.xpath("//section[@data-group='ZONE_INSECURE']//button[text()='Show the domains']"));
        await().until(() -> browser.findElements(By.cssSelector("[data-group=ZONE_INSECURE] tr[data-domain]")).size() == 3);
        screenshot("groups");
        markThePage();

        click(By.cssSelector("[data-group-action=ZONE_INSECURE]"));
        await().atMost(Duration.ofSeconds(60)).until(() -> browser.findElements(By.cssSelector("[data-group=ZONE_INSECURE]")).isEmpty());
        // the stream may show the group gone before the action's own answer (which waits for the events to be recorded) arrives
        await().atMost(Duration.ofSeconds(60)).until(() -> text(By.id("message")).contains("3 done"));
        assertThat(stillTheSamePage()).as("the group left without a reload").isTrue();
        for (DomainName d : INSECURE) {
            assertThat(log.snapshot().states().get(d).status()).isNotEqualTo(WorkflowStatus.BLOCKED);
        }
        assertThat(log.snapshot().states().get(FOREIGN_INSECURE).status()).as("the other tenant's group untouched").isEqualTo(WorkflowStatus.BLOCKED);
        screenshot("groups-after-replay");
    }

    @Test
    @Order(4)
    void aStartedWaveShowsItsProgressBarAdvanceLiveAsDomainsComplete() throws Exception {
        click(By.cssSelector("#nav a[data-view=overview]"));
        By wave = By.cssSelector("[data-progress-text=w1]");
        await().atMost(Duration.ofSeconds(20)).until(() -> text(wave).startsWith("0 / 4 completed") && text(wave).contains("4 on hold"));
        markThePage();
        click(By.xpath("//button[text()='Start 4']"));
        await().atMost(Duration.ofSeconds(60)).until(() -> text(wave).equals("0 / 4 completed"));

        EventFactory factory = new EventFactory(Clock.systemUTC());
        for (int i = 0; i < WAVE.size(); i++) {
            migrate(WAVE.get(i), factory);
            String expected = (i + 1) + " / 4 completed";
            String done = String.valueOf(i + 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> text(wave).equals(expected)
                    && done.equals(((JavascriptExecutor) browser).executeScript(
                            "return document.querySelector('[data-progress=w1]').getAttribute('aria-valuenow');")));
            if (i == 1) {
                screenshot("overview-progress");
            }
        }
        assertThat(stillTheSamePage()).as("the bar advanced without a reload").isTrue();
        // the log's 4 stops from before the page opened and the 4 completions its stream brought; 3 replayed domains are left
        assertThat(text(By.id("rate"))).startsWith("4 completed, 4 stopped since ").contains("the 3 left finish in about");
        assertThat(browser.findElement(By.id("chart")).getAttribute("data-completed")).isEqualTo("4");
        assertThat(((Number) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")).longValue())
                .as("the overview fits a 1366 px laptop screen without scrolling sideways").isLessThanOrEqualTo(0L);
        screenshot("overview-done");
    }

    /** What the four services would do for a started domain, as its events, appended on the real log at once. */
    private static void migrate(DomainName domain, EventFactory factory) {
        MigrationState state = log.snapshot().states().get(domain);
        List<EventEnvelope> chain = new ArrayList<>();
        while (state.status() != WorkflowStatus.COMPLETED) {
            dev.mxshift.model.event.MigrationEvent successor = CooperativeWorld.successorOf(state);
            assertThat(successor).as("the services' next event for %s", state).isNotNull();
            EventEnvelope next = factory.next(state, successor, state.lastEventId());
            chain.add(next);
            state = next.state();
        }
        try (EventWriter writer = new EventWriter(new KafkaClients(kafka), EVENTS.name())) {
            writer.appendAll(chain);
        }
    }

    @Test
    @Order(5)
    void aDomainsPageShowsItsTimelineWithWhoDidWhatAndItsPlan() throws Exception {
        click(By.cssSelector("#nav a[data-view=domains]"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.linkText(WAVE.get(0).value())).isEmpty());
        click(By.linkText(WAVE.get(0).value()));
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.cssSelector("#timeline tr[data-event]")).isEmpty());
        assertThat(text(By.id("domain-name"))).isEqualTo(WAVE.get(0).value());
        List<WebElement> rows = browser.findElements(By.cssSelector("#timeline tr[data-event]"));
        assertThat(rows.get(0).getAttribute("data-event")).as("newest first").isEqualTo("MigrationCompleted");
        WebElement started = browser.findElement(By.cssSelector("#timeline tr[data-event=Started]"));
        assertThat(started.getText()).contains("t-a-ops (API)");
        assertThat(browser.findElements(By.cssSelector("ol.plan li"))).isNotEmpty();
        assertThat(browser.findElement(By.cssSelector("ol.plan")).getText()).contains("done");
        assertThat(browser.findElements(By.cssSelector("#timeline tr[data-ignored]"))).as("nothing ignored yet").isEmpty();
        screenshot("domain");

        // the operator's start written again (as a restarted producer or a second click once did): the workflow ignores it,
        // and the timeline says so and why, as history marks it [ignored]
        EventEnvelope start = log.history(WAVE.get(0)).stream().filter(e -> e.type().equals("Started")).findFirst().orElseThrow();
        try (EventWriter writer = new EventWriter(new KafkaClients(kafka), EVENTS.name())) {
            writer.appendAll(List.of(start));
        }
        browser.navigate().refresh();
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.cssSelector("#timeline tr[data-ignored]")).isEmpty());
        WebElement ignored = browser.findElement(By.cssSelector("#timeline tr[data-ignored]"));
        assertThat(ignored.getAttribute("data-event")).isEqualTo("Started");
        assertThat(ignored.getText()).contains("ignored").contains("ignored by the workflow: a repeat of #" + start.sequence());
        assertThat(text(By.id("ignored-note"))).startsWith("1 event(s) marked ignored");
        ((JavascriptExecutor) browser).executeScript("document.querySelector('#timeline tr[data-ignored]').scrollIntoView({block: 'center'});");
        assertThat(HistoryCommand.entries(log.history(WAVE.get(0)))).as("the same verdict as history's")
                .filteredOn(e -> !e.counted()).singleElement().satisfies(e -> assertThat(ignored.getText()).contains(e.ignoredBecause()));
        screenshot("domain-ignored-event");
    }

    @Test
    @Order(6)
    void theMicrosoftRoundTripWritesThePartnersScriptTakesItsCsvAndTheDomainGoesOn() throws Exception {
        click(By.cssSelector("#nav a[data-view=microsoft]"));
        await().atMost(Duration.ofSeconds(20)).until(() -> text(By.id("ms-counts")).startsWith("1 domain(s) wait for Microsoft's new MX host"));
        type(By.id("ms-org"), "contoso-a.onmicrosoft.com");
        click(By.id("ms-write"));
        await().atMost(Duration.ofSeconds(20)).until(() -> text(By.id("ms-script")).contains("Enable-DnssecForVerifiedDomain"));
        assertThat(text(By.id("ms-script"))).contains("Connect-ExchangeOnline -DelegatedOrganization 'contoso-a.onmicrosoft.com'")
                .contains("'" + TARGET_UNKNOWN.value() + "'").doesNotContain("-b.example");
        screenshot("microsoft");

        Path csv = Files.createTempDirectory("console-it-csv").resolve("t-a-dnssec-mx.csv");
        Files.writeString(csv, "tenant,domain,dnssec_mx_value,error\nt-a," + TARGET_UNKNOWN.value() + ",target-a-example.o-v1.mx.microsoft,\n");
        browser.findElement(By.id("ms-csv")).sendKeys(csv.toAbsolutePath().toString());
        click(By.xpath("//button[text()='Import it']"));
        await().atMost(Duration.ofSeconds(30)).until(() -> text(By.id("message")).startsWith("Imported"));
        List<EventEnvelope> history = log.history(TARGET_UNKNOWN);
        assertThat(history.get(history.size() - 1).payload()).isInstanceOf(dev.mxshift.model.event.TargetAssigned.class);
        click(By.xpath("//button[text()='Replay the 1 waiting for their target']"));
        await().atMost(Duration.ofSeconds(60)).until(() -> text(By.id("ms-counts")).startsWith("0 domain(s) wait for Microsoft's new MX host"));
        assertThat(log.snapshot().states().get(TARGET_UNKNOWN).status()).isNotEqualTo(WorkflowStatus.BLOCKED);
    }

    @Test
    @Order(7)
    void anAllTenantsTokenSeesEveryTenantAndReplaysADeadLetter() throws Exception {
        click(By.id("sign-out"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.id("token")).isEmpty());
        assertThat((Object) ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('mxshift.token');")).isNull();
        signIn(HOSTER);
        assertThat(text(By.id("summary"))).startsWith("11 domains:");
        click(By.id("nav-dead-letters"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.cssSelector("input[aria-label^='select 0:']")).isEmpty());
        assertThat(browser.getPageSource()).contains("HTTP 500 from the provider");
        screenshot("dead-letters");
        long before = log.history(FOREIGN_INSECURE).size();
        click(By.cssSelector("input[aria-label^='select 0:']"));
        click(By.xpath("//button[text()='Replay the 1 selected']"));
        await().atMost(Duration.ofSeconds(30)).until(() -> text(By.id("message")).startsWith("Replayed 1 dead letter"));
        assertThat(log.history(FOREIGN_INSECURE)).as("the letter went back to the event log").hasSize((int) before + 1);
    }

    @Test
    @Order(8)
    void theConsoleIsUsableByKeyboardAtALaptopsSizeAndExportsWhatItShows() {
        browser.get(base + "/console/index.html#/overview");
        browser.navigate().refresh();
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.id("summary")).isEmpty());
        new Actions(browser).sendKeys(Keys.TAB).perform();
        WebElement first = browser.switchTo().activeElement();
        assertThat(first.getText()).isEqualTo("Skip to the content");
        assertThat(first.getCssValue("left")).as("the skip link shows when focused").isEqualTo("0px");
        new Actions(browser).sendKeys(Keys.TAB).perform();
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Overview");
        assertThat(browser.switchTo().activeElement().getCssValue("outline-style")).as("focus is visible").isEqualTo("solid");
        JavascriptExecutor js = browser;
        assertThat((Long) js.executeScript("return document.documentElement.scrollWidth;")).as("no sideways scrolling at 1366x768")
                .isLessThanOrEqualTo(1366L);
        click(By.cssSelector("#nav a[data-view=domains]"));
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElements(By.cssSelector("tr[data-domain]")).size() == 11);
        assertThat((Long) js.executeScript("return document.documentElement.scrollWidth;")).as("no sideways scrolling at 1366x768")
                .isLessThanOrEqualTo(1366L);
        assertThat(browser.findElements(By.cssSelector("main input, main select"))).hasSizeGreaterThan(9);
        // again from the start if a live update redraws the view meanwhile
        await().atMost(Duration.ofSeconds(20)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class).untilAsserted(() -> {
            for (WebElement input : browser.findElements(By.cssSelector("main input, main select"))) {
                String id = input.getAttribute("id");
                assertThat(id == null ? input.getAttribute("aria-label") : browser.findElements(By.cssSelector("label[for='" + id + "']")).isEmpty()
                        ? input.getAttribute("aria-label") : "labelled").as("every input has a label").isNotBlank();
            }
        });
        // as JSON, so that the line ends (CRLF, RFC 4180) are compared as they are
        assertThat((String) js.executeScript("return JSON.stringify(toCsv([{domain: 'a.example', detail: 'x, \"y\"'}, {domain: '=cmd', detail: null}]));"))
                .isEqualTo("\"domain,detail\\r\\na.example,\\\"x, \\\"\\\"y\\\"\\\"\\\"\\r\\n'=cmd,\\r\\n\"");
    }
}
