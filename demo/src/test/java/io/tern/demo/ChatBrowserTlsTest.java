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
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page over TLS in Debian's headless Chromium: the demo started with {@code --tls} (its
 * self-signed certificate accepted with Chromium's certificate-error flag), the page loaded from
 * {@code https://}, its WebSocket opened to {@code wss://}, a message sent and shown, with
 * permessage-deflate negotiated as over plain TCP.
 */
@Timeout(120)
class ChatBrowserTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
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

    @Test
    void thePageChatsOverWss(@TempDir Path temp) throws Exception {
        DemoPeers.requireChromium();
        Path home = Files.createDirectories(temp.resolve("home"));
        server = DemoServer.start(DemoServer.parse(new String[] {"--port", "0", "--tls"}),
                new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        String page = "https://127.0.0.1:" + server.port() + "/";

        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DemoPeers.CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .withEnvironment(java.util.Map.of("HOME", home.toString()))
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(DemoPeers.CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                        "--no-first-run", "--no-default-browser-check", "--ignore-certificate-errors",
                        "--user-data-dir=" + temp.resolve("profile"));
        options.setAcceptInsecureCerts(true);
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);

        driver.get(page);
        wait(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "connected"));
        Object url = ((JavascriptExecutor) driver).executeScript("return window.ternChat.socket.url;");
        assertTrue(String.valueOf(url).startsWith("wss://127.0.0.1:" + server.port() + "/chat"), "socket url: " + url);
        driver.findElement(By.id("name")).sendKeys("tls-alice");
        WebElement room = driver.findElement(By.id("room"));
        room.clear();
        room.sendKeys("secure");
        driver.findElement(By.id("join")).click();
        wait(ExpectedConditions.elementToBeClickable(By.id("send")));
        driver.findElement(By.id("text")).sendKeys("hello over wss \u2713");
        driver.findElement(By.id("send")).click();
        WebElement line = wait(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#log li[data-type='message'][data-from='tls-alice']")));
        assertEquals("hello over wss \u2713", line.findElement(By.className("text")).getText());
        Object extensions = ((JavascriptExecutor) driver).executeScript("return window.ternChat.socket.extensions;");
        assertTrue(String.valueOf(extensions).startsWith("permessage-deflate"), "negotiated: " + extensions);
    }

    private <T> T wait(java.util.function.Function<? super WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).until(condition);
    }
}
