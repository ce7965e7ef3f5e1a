import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { type Requirement, requirement } from './requirement.ts';

/** Debian's Chromium, which .ci/run and `npm test` install (scripts/ensure-test-tools.sh). CHROMIUM overrides. */
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Skips the browser suites when Chromium is not installed, or fails them on CI. */
const chromiumRequirement: Requirement = requirement(
  existsSync(CHROMIUM)
    ? undefined
    : `Chromium: apt-get install chromium, or set CHROMIUM (not found at ${CHROMIUM})`,
);

/** Headless Chromium through playwright-core; as root (containers, CI) it cannot use its sandbox. */
const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });

export { CHROMIUM, chromiumRequirement, launchChromium };
