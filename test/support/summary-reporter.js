// Prints one plain closing line that CI reads: "jest: N passed, N failed, N skipped", and before
// it the slowest test files, so a run shows where the suite's time goes.
const SLOWEST = 15;

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const files = results.testResults
      .map((file) => ({
        path: file.testFilePath.replace(`${process.cwd()}/`, ''),
        seconds: (file.perfStats.end - file.perfStats.start) / 1000,
      }))
      .filter((file) => Number.isFinite(file.seconds))
      .sort((a, b) => b.seconds - a.seconds);
    if (files.length > 1) {
      const total = files.reduce((sum, file) => sum + file.seconds, 0);
      process.stdout.write(`\nslowest test files (of ${files.length}, ${Math.round(total)} s in all):\n`);
      for (const file of files.slice(0, SLOWEST))
        process.stdout.write(`  ${file.seconds.toFixed(1).padStart(6)} s  ${file.path}\n`);
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\njest: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
