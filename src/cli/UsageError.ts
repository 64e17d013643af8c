/** A command line the CLI cannot act on (bad argument, conflicting flags): exit code 2, like commander's own parse errors. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
