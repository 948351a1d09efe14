/** Hashes and verifies passwords; the only place plaintext passwords go. */
export abstract class PasswordHasher {
  abstract hash(password: string): Promise<string>;
  abstract verify(hash: string, password: string): Promise<boolean>;
  /** True when the hash was made with weaker parameters than the current ones. */
  abstract needsRehash(hash: string): boolean;
}
