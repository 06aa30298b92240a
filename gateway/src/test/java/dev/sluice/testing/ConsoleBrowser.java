package dev.sluice.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian Chromium driven through Debian's chromedriver ({@code /usr/bin/chromium},
 * {@code /usr/bin/chromedriver}; {@code .ci/run} installs both when missing). One fresh profile per
 * instance, no network but the loopback gateway. Waits are on conditions with generous timeouts,
 * so a busy machine makes a test slower, never red.
 */
public final class ConsoleBrowser implements AutoCloseable {
  /** How long any wait may last before the test fails: long, since CI machines are shared. */
  public static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriver driver;
  private final Path profile;

  public ConsoleBrowser() throws Exception {
    this(1280, 900);
  }

  /** A window of {@code width} × {@code height} CSS pixels; below 500 px wide, an emulated phone viewport. */
  public ConsoleBrowser(int width, int height) throws Exception {
    profile = Files.createTempDirectory("sluice-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(System.getProperty("sluice.chromium", "/usr/bin/chromium"));
    // Headless as root on a machine without a network: no sandbox, no background traffic to Google.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of(System.getProperty("sluice.chromedriver", "/usr/bin/chromedriver")).toFile())
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(PATIENCE).scriptTimeout(PATIENCE);
    if (width < 500) {
      // Headless windows are never narrower than 500 px: a phone's viewport is emulated instead.
      driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of("width", width, "height", height,
          "deviceScaleFactor", 1, "mobile", true));
    }
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  /**
   * Waits (up to {@link #PATIENCE}) until {@code condition} gives a non-null, non-false value. A
   * condition that read an element the page re-rendered in the meantime (pages refresh on their own)
   * is tried again, as one that found nothing yet is.
   */
  public <T> T await(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, PATIENCE).ignoring(StaleElementReferenceException.class).until(condition::apply);
  }

  /** The text of the first element matching {@code css}, read from the page as it is now. */
  public String text(String css) {
    return await(d -> d.findElement(By.cssSelector(css)).getText());
  }

  /** Waits for an element matching {@code css} to be present, and returns it. */
  public WebElement find(String css) {
    return await(d -> d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
  }

  /**
   * Opens {@code /ui/login} of {@code gw}, signs in with {@code key} (the master key or a client key)
   * and waits until the console's navigation is drawn.
   */
  public void signIn(TestGateway gw, String key) {
    open(gw.url("/ui/login"));
    WebElement input = find("#key");
    input.clear();
    input.sendKeys(key);
    find("#sign-in").click();
    await(d -> d.findElements(By.cssSelector("#nav a")).isEmpty() ? null : true);
  }

  public Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /**
   * How far the page (or {@code element}, a CSS selector such as {@code "body"}) reaches past the
   * window's right edge, in px, once it stops overflowing; the last value seen if it never does
   * within {@link #PATIENCE}. A page lays out in steps (tables, then charts), and a busy machine
   * can catch it between two: a single read would fail on a layout the user never sees settle.
   */
  public long settledOverflow(String element) {
    String js = "const e = document.querySelector(arguments[0]); return e.scrollWidth - e.clientWidth";
    long[] last = {Long.MAX_VALUE};
    try {
      await(d -> {
        last[0] = ((Number) script(js, element)).longValue();
        return last[0] <= 0 ? Boolean.TRUE : null;
      });
    } catch (org.openqa.selenium.TimeoutException e) {
      // The caller's assertion reports the overflow that stayed.
    }
    return last[0];
  }

  /** Writes a PNG of the window to {@code target/screenshots/<name>.png} and returns its path. */
  public Path screenshot(String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    Path file = SCREENSHOTS.resolve(name + ".png");
    Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    return file;
  }

  @Override
  public void close() throws Exception {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
