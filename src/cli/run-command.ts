/** Runs a command-line task: its error message (not a stack) on stderr and exit 1 on failure. */
export function runCommand(task: () => Promise<void>): void {
  task().then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
