package dev.mxshift.operator;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.awaitility.Awaitility.await;

/**
 * The demo's console in Debian's Chromium, the way an operator opens it: the URL and the token the demo printed, signed
 * in through the page's form, then watched without a reload while the migration runs. Run by {@code bench/console-demo}
 * (not a test of the suite: it needs the whole demo, minutes of both cores).
 *
 * <p>Arguments: {@code CONSOLE_LOG OUT_DIR DONE_FILE MAX_SECONDS}. CONSOLE_LOG is the console's log, whose
 * {@code console: } lines name the URL and the all-tenants token; the page is shot into OUT_DIR every 20 s until
 * DONE_FILE exists (the watch ended), then the stopped domains' groups are read from the page and written to
 * OUT_DIR/console-groups.json with the summary lines seen, for the script to compare with {@code status --json}.
 * Exit 0 when the page stayed live and unreloaded to the end and the overview fits the 1366 px window without scrolling
 * sideways, 1 otherwise, 2 on bad arguments.
 */
public final class ConsoleDemoCheck {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ConsoleDemoCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ConsoleDemoCheck CONSOLE_LOG OUT_DIR DONE_FILE MAX_SECONDS");
            System.exit(2);
        }
        Path consoleLog = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        Path done = Path.of(args[2]);
        Instant deadline = Instant.now().plusSeconds(Long.parseLong(args[3]));
        String url = null;
        String token = null;
        for (String line : Files.readAllLines(consoleLog)) {
            if (line.startsWith("console: http")) {
                url = line.substring("console: ".length()).split(" ")[0];
            } else if (line.startsWith("console: sign in") && line.contains("): ")) {
                token = line.substring(line.lastIndexOf("): ") + 3).trim();
            }
        }
        if (url == null || token == null) {
            System.err.println(consoleLog + ": no 'console: URL' and 'console: sign in ... token' lines (did the demo start the console?)");
            System.exit(2);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(ConsoleBrowserIT.CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1366,768", "--user-data-dir=" + Files.createTempDirectory("console-demo-chromium"));
        ChromeDriver browser = new ChromeDriver(ConsoleBrowserIT.browserService(), options);
        int status = 1;
        try {
            browser.manage().window().setSize(new Dimension(1366, 768));
            browser.get(url);
            until(browser, deadline, () -> !browser.findElements(By.id("token")).isEmpty());
            browser.findElement(By.id("token")).sendKeys(token);
            browser.findElement(By.id("sign-in")).click();
            until(browser, deadline, () -> "live".equals(text(browser, By.id("live"))) && !text(browser, By.id("summary")).isEmpty());
            ((JavascriptExecutor) browser).executeScript("window.consoleDemoMark = 'not reloaded';");
            System.out.println("console: signed in at " + url + " as " + text(browser, By.id("who")));

            List<String> seen = new ArrayList<>();
            int shot = 0;
            while (!Files.exists(done) && Instant.now().isBefore(deadline)) {
                String summary = text(browser, By.id("summary"));
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(summary)) {
                    seen.add(summary);
                    System.out.println("console: " + summary);
                }
                shoot(browser, out.resolve(String.format("overview-%02d.png", shot++)));
                waitFor(browser, deadline, Duration.ofSeconds(20), () -> Files.exists(done));
            }
            // The watch ended: the last events reach the page within a few seconds.
            waitFor(browser, deadline, Duration.ofSeconds(10), () -> false);
            seen.add(text(browser, By.id("summary")));
            System.out.println("console: final: " + seen.get(seen.size() - 1));
            shoot(browser, out.resolve("overview-final.png"));
            // Usable on a laptop screen: the overview at 1366 x 768 does not scroll sideways.
            Object overflow = ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            long sideways = ((Number) overflow).longValue();
            System.out.println("console: the overview is " + sideways + " px wider than the 1366 px window");

            browser.findElement(By.cssSelector("#nav a[data-view=groups]")).click();
            until(browser, deadline, () -> !browser.findElements(By.cssSelector("section[data-group]")).isEmpty());
            waitFor(browser, deadline, Duration.ofSeconds(3), () -> false);
            Map<String, Integer> stopped = new LinkedHashMap<>();
            Map<String, Integer> waiting = new LinkedHashMap<>();
            for (WebElement group : browser.findElements(By.cssSelector("section[data-group]"))) {
                String key = group.getAttribute("data-group");
                int count = Integer.parseInt(group.findElement(By.cssSelector("[data-count]")).getText().replace(",", ""));
                (group.getAttribute("class").contains("waiting") ? waiting : stopped).put(key, count);
            }
            shoot(browser, out.resolve("groups-final.png"));
            boolean unreloaded = "not reloaded".equals(((JavascriptExecutor) browser).executeScript("return window.consoleDemoMark;"));
            boolean live = "live".equals(text(browser, By.id("live")));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("url", url);
            result.put("summaries", seen);
            result.put("stoppedGroups", stopped);
            result.put("waitingGroups", waiting);
            result.put("unreloaded", unreloaded);
            result.put("live", live);
            result.put("overviewOverflowPx", sideways);
            Files.writeString(out.resolve("console-groups.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
            System.out.println("console: stopped groups " + stopped + "; waiting " + waiting + "; live " + live + ", never reloaded " + unreloaded);
            status = unreloaded && live && seen.size() > 1 && sideways <= 0 ? 0 : 1;
        } finally {
            browser.quit();
        }
        System.exit(status);
    }

    private static void shoot(ChromeDriver browser, Path to) throws Exception {
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), to, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String text(ChromeDriver browser, By by) {
        try {
            List<WebElement> found = browser.findElements(by);
            return found.isEmpty() ? "" : found.get(0).getText();
        } catch (StaleElementReferenceException e) {
            return "";
        }
    }

    /** Waits until the condition holds or the deadline passes (then fails). */
    private static void until(ChromeDriver browser, Instant deadline, BooleanSupplier condition) {
        if (!waitFor(browser, deadline, Duration.between(Instant.now(), deadline), condition)) {
            throw new IllegalStateException("the console did not reach the expected state by the deadline; page: " + text(browser, By.tagName("main")));
        }
    }

    /** Polls the condition every 200 ms for at most {@code max} (and never past the deadline); true when it held. */
    private static boolean waitFor(ChromeDriver browser, Instant deadline, Duration max, BooleanSupplier condition) {
        Duration left = Duration.between(Instant.now(), deadline);
        Duration wait = max.compareTo(left) < 0 ? max : left;
        if (wait.isNegative() || wait.isZero()) {
            return false;
        }
        try {
            await().atMost(wait).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .ignoreException(StaleElementReferenceException.class).until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
