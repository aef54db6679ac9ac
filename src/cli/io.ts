/** Something text can be written to: `process.stdout`, or a collector in tests. */
export interface Writer {
  write(text: string): unknown;
}

/** Where the CLI writes. */
export interface CliIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
}
