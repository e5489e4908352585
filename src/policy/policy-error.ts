export type PolicyErrorCode = 'policy_invalid' | 'policy_missing' | 'policy_unreadable';

/**
 * The policy file is missing, unreadable or invalid. Thrown at start; `main` prints the message as one
 * `configuration error:` line and stops, as for a bad environment variable.
 */
export class PolicyError extends Error {
  constructor(
    readonly code: PolicyErrorCode,
    message: string,
    /** One `path: problem` line per invalid value (empty for file-level errors). */
    readonly issues: string[] = [],
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}
