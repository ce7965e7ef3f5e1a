import type { Reporter, TestModule } from 'vitest/node';
import './requirement.ts';

/**
 * Ends the run with one line per missing service or binary and how many tests it kept from running,
 * so a skip is never silent (each skipped suite also names it in its title).
 */
class MissingRequirementsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped = new Map<string, number>();
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests('skipped')) {
        const { missing } = test.meta();
        if (missing !== undefined) skipped.set(missing, (skipped.get(missing) ?? 0) + 1);
      }
    }
    for (const [missing, count] of skipped) {
      process.stdout.write(`      Skipped ${count} test${count === 1 ? '' : 's'}: ${missing}\n`);
    }
  }
}

export { MissingRequirementsReporter as default };
