/** A command line that cannot be carried out: exit 2, with the message. */
export class UsageError extends Error {}
