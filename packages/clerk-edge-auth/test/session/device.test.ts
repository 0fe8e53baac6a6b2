import { describe, expect, it } from "vitest";
import { describeDevice, describePlace, MAX_USER_AGENT_CHARS } from "../../src/session/device.js";

const UA = {
  chromeMac:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  firefoxWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  safariIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  safariMac:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  edgeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
  chromeAndroid:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  chromeIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
  firefoxLinux: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  operaWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0",
  samsungAndroid:
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
  headlessLinux:
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
  chromebook:
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
};

describe("describeDevice", () => {
  it.each([
    [UA.chromeMac, "Chrome on macOS"],
    [UA.firefoxWindows, "Firefox on Windows"],
    [UA.safariIphone, "Safari on iOS"],
    [UA.safariMac, "Safari on macOS"],
    [UA.edgeWindows, "Edge on Windows"],
    [UA.chromeAndroid, "Chrome on Android"],
    [UA.chromeIphone, "Chrome on iOS"],
    [UA.firefoxLinux, "Firefox on Linux"],
    [UA.operaWindows, "Opera on Windows"],
    [UA.samsungAndroid, "Samsung Internet on Android"],
    [UA.headlessLinux, "Chrome on Linux"],
    [UA.chromebook, "Chrome on ChromeOS"],
  ])("names the browser and system of %s", (userAgent, expected) => {
    expect(describeDevice(userAgent)).toBe(expected);
  });

  it("says the browser is unknown when there is no User-Agent or it names nothing known", () => {
    expect(describeDevice(null)).toBe("Unknown browser");
    expect(describeDevice("")).toBe("Unknown browser");
    expect(describeDevice("curl/8.5.0")).toBe("Unknown browser");
  });

  it("names the system alone when the browser is not recognised", () => {
    expect(describeDevice("SomeBot/1.0 (Windows NT 10.0)")).toBe("Unknown browser on Windows");
  });

  it("never echoes the User-Agent, so a crafted header cannot put text in the list", () => {
    expect(describeDevice("<script>alert(1)</script> Chrome/1")).toBe("Chrome");
  });
});

describe("describeDevice on a hostile User-Agent", () => {
  // Shapes that make a backtracking pattern try every split of the header.
  const hostile = {
    "a long Version/ token": `Version/${"1".repeat(16_000)}`,
    "a Version/ token repeated": "Version/1 ".repeat(1_600),
    "a long Mobile/ token": `Mobile/${"a".repeat(16_000)}`,
    "a long run of Safari/ fragments": "Safari".repeat(2_700),
  };

  it.each(Object.entries(hostile))("reads %s of 16,000 characters in under 20 ms", (_, ua) => {
    expect(ua.length).toBeGreaterThanOrEqual(16_000);
    const started = performance.now();
    describeDevice(ua);
    expect(performance.now() - started).toBeLessThan(20);
  });

  it("reads only the start of an oversized header, which still names the device", () => {
    const padded = `${UA.safariMac} ${"x".repeat(20_000)}`;
    expect(describeDevice(padded)).toBe("Safari on macOS");
    expect(describeDevice(`${"x".repeat(MAX_USER_AGENT_CHARS)} ${UA.chromeMac}`)).toBe(
      "Unknown browser",
    );
  });
});

describe("describePlace", () => {
  const cf = (fields: Record<string, unknown>) => fields as unknown as IncomingRequestCfProperties;

  it("joins the city and the country code", () => {
    expect(describePlace(cf({ city: "Berlin", country: "DE" }))).toBe("Berlin, DE");
  });

  it("gives the country alone when Cloudflare has no city", () => {
    expect(describePlace(cf({ country: "FR" }))).toBe("FR");
  });

  it("is null when Cloudflare supplied nothing, as in local development", () => {
    expect(describePlace(undefined)).toBeNull();
    expect(describePlace(cf({}))).toBeNull();
  });
});
