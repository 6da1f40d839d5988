package io.tern.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.WebSocketServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in a real browser: Debian's headless Chromium, driven through
 * {@code /usr/bin/chromedriver} (given explicitly, so Selenium Manager never runs and nothing is
 * downloaded), against the demo server as the run command starts it, on 127.0.0.1. Three windows
 * are three users: they join one room, chat, see each other join and leave with the count, a
 * direct message reaches only its target, Chromium and Tern agree on permessage-deflate, and the
 * pages reconnect and rejoin by themselves after the server restarts.
 */
@Timeout(180)
class ChatBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    /**
     * Selenium warns that it has no DevTools (CDP) bindings for this Chromium version; the test
     * uses WebDriver only, so the warning is noise in a quiet build. Held here so that the level
     * sticks (java.util.logging keeps loggers weakly).
     */
    private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    static {
        CDP_LOG.setLevel(Level.SEVERE);
    }

    private WebSocketServer server;
    private ChromeDriverService service;
    private WebDriver driver;

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (server != null) {
            server.shutdown(Duration.ofSeconds(5));
        }
    }

    private static WebSocketServer startDemo(int port) throws Exception {
        return DemoServer.start(DemoServer.parse(new String[] {"--port", Integer.toString(port)}),
                new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void threePagesChatSeePresenceSendADirectMessageAndSurviveARestart(@TempDir Path temp) throws Exception {
        DemoPeers.requireChromium();
        Path home = Files.createDirectories(temp.resolve("home"));
        server = startDemo(0);
        int port = server.port();
        String page = "http://127.0.0.1:" + port + "/";

        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DemoPeers.CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .withEnvironment(java.util.Map.of("HOME", home.toString())) // nothing written to the real home
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(DemoPeers.CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                        "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                        "--disable-backgrounding-occluded-windows", "--no-first-run", "--no-default-browser-check",
                        "--user-data-dir=" + temp.resolve("profile"));
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);

        String alice = open(page, "alice", null);
        String bob = open(page, "bob", WindowType.WINDOW);
        String carol = open(page, "carol", WindowType.WINDOW);

        // presence: everyone sees everyone, with the count
        for (String w : List.of(alice, bob, carol)) {
            on(w);
            awaitMembers("alice", "bob", "carol");
        }
        on(alice);
        awaitLog("li[data-type='joined'][data-name='bob']");
        awaitLog("li[data-type='joined'][data-name='carol']");

        // Chromium offered permessage-deflate and Tern accepted it: the browser's view (the
        // response header) and the server's own (isCompressed, reported in the welcome)
        Object extensions = ((JavascriptExecutor) driver).executeScript("return window.ternChat.socket.extensions;");
        assertTrue(String.valueOf(extensions).startsWith("permessage-deflate"), "negotiated: " + extensions);
        assertEquals("true", driver.findElement(By.id("status")).getAttribute("data-compressed"));

        // a message to the room, with sender and time
        say("hello from alice \u2713");
        for (String w : List.of(alice, bob, carol)) {
            on(w);
            WebElement line = awaitLog("li[data-type='message'][data-from='alice']");
            assertEquals("hello from alice \u2713", line.findElement(By.className("text")).getText());
            assertTrue(!line.findElement(By.tagName("time")).getAttribute("datetime").isEmpty());
        }

        // a direct message from bob to carol: carol (and bob's own copy) only
        on(bob);
        new Select(driver.findElement(By.id("to"))).selectByValue("carol");
        say("psst, carol");
        on(carol);
        WebElement direct = awaitLog("li[data-type='direct'][data-from='bob'][data-to='carol']");
        assertEquals("psst, carol", direct.findElement(By.className("text")).getText());
        on(bob);
        awaitLog("li[data-type='direct'][data-to='carol']");
        new Select(driver.findElement(By.id("to"))).selectByValue("");
        say("and hello everyone");
        on(alice);
        awaitLog("li[data-type='message'][data-from='bob']"); // after bob's direct message, in order
        assertEquals(0, driver.findElements(By.cssSelector("#log li[data-type='direct']")).size(),
                "alice must not see bob's direct message to carol");

        // bob leaves: the others see it and the count drop
        on(bob);
        driver.findElement(By.id("leave")).click();
        awaitLog("li[data-type='left'][data-name='bob']");
        on(alice);
        awaitLog("li[data-type='left'][data-name='bob']");
        awaitMembers("alice", "carol");
        on(carol);
        awaitMembers("alice", "carol");

        // the server restarts on the same port: the pages notice, back off, reconnect and rejoin
        server.shutdown(Duration.ofSeconds(5));
        on(alice);
        wait(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "reconnecting"));
        server = startDemo(port);
        for (String w : List.of(alice, carol)) {
            on(w);
            wait(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "connected"));
            awaitMembers("alice", "carol");
        }
        on(alice);
        say("back again");
        on(carol);
        wait(d -> d.findElements(By.cssSelector("#log li[data-type='message'][data-from='alice']")).size() == 2);
    }

    /** Opens the page in a window (the first, or a new one), joins "lobby" under a name. */
    private String open(String page, String name, WindowType newWindow) {
        if (newWindow != null) {
            driver.switchTo().newWindow(newWindow);
        }
        driver.get(page);
        wait(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "connected"));
        driver.findElement(By.id("name")).sendKeys(name);
        WebElement room = driver.findElement(By.id("room"));
        room.clear();
        room.sendKeys("lobby");
        driver.findElement(By.id("join")).click();
        wait(ExpectedConditions.elementToBeClickable(By.id("send")));
        awaitLog("li[data-type='info']");
        return driver.getWindowHandle();
    }

    private void on(String window) {
        driver.switchTo().window(window);
    }

    private void say(String text) {
        WebElement input = driver.findElement(By.id("text"));
        input.sendKeys(text);
        driver.findElement(By.id("send")).click();
    }

    private void awaitMembers(String... names) {
        String expected = String.join(",", names);
        wait(d -> expected.equals(d.findElements(By.cssSelector("#members li")).stream()
                .map(li -> li.getAttribute("data-name")).collect(Collectors.joining(",")))
                && Integer.toString(names.length).equals(d.findElement(By.id("count")).getText()));
    }

    private WebElement awaitLog(String selector) {
        return wait(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#log " + selector)));
    }

    private <T> T wait(java.util.function.Function<? super WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).until(condition);
    }
}
