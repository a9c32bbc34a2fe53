import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// Browser tests drive Debian's Chromium (apt package `chromium`, installed by .ci/run when missing):
// Playwright's own browser download cannot work here, the machines reach no host but the package registries.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// The flags the machine's notes prescribe: no sandbox (we run as root), no GPU, and none of Chromium's
// background calls home, which this closed network refuses many at a time. Playwright gives every
// launch a fresh, empty temporary profile (it refuses a --user-data-dir of our own in `args`).
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Why a browser test cannot run here, or undefined when it can. Outside CI a missing Chromium skips those
 * tests (with this reason printed); in CI (`CI` set, as .ci/run's machines and every CI service set it)
 * they run and fail, so a CI machine without a browser is never green by skipping.
 */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH) || process.env.CI) return undefined;
  return `Chromium is missing at ${CHROMIUM_PATH}: browser tests skipped (install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH; in CI they fail instead)`;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (.ci/run does so when it can), or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 15_000 });
}
