import { SecretBox } from '@app/security';
import { PersonalDataKeys } from './personal-data-keys.port';

/** A personal value as events hold it: sealed with its owner's data key (docs/ERASURE.md). */
export interface SealedPersonalData {
  /** `v1.<owner id>.<SecretBox output>` */
  $personal: string;
}

const FORMAT = 'v1';

/**
 * How long a process keeps a data key it read. Erasing in this process forgets it at once; another
 * process (an API replica, the projector) may still open that person's values for at most this
 * long, and nothing new can be written for them meanwhile (their account is gone).
 */
export const DATA_KEY_CACHE_MS = 30_000;

export function isSealedPersonalData(value: unknown): value is SealedPersonalData {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as SealedPersonalData).$personal === 'string'
  );
}

/**
 * Seals personal values with their owner's data key and opens them while the key exists. Once the
 * key is erased, `open` gives null: the value is gone, wherever a copy of the sealed form is.
 * The owner's id is authenticated with the value, so a sealed value moved to another owner does
 * not open.
 */
export class PersonalDataSealer {
  /** Unwrapped keys (null: erased) by owner, with the time they were read. */
  private readonly cache = new Map<string, { box: SecretBox | null; readAt: number }>();

  constructor(
    private readonly keys: PersonalDataKeys,
    private readonly now: () => number = Date.now,
  ) {}

  async seal(ownerId: string, value: string): Promise<SealedPersonalData> {
    if (ownerId.includes('.')) throw new RangeError('An owner id cannot contain "."');
    const cached = this.cached(ownerId);
    const box = cached?.box ?? new SecretBox(await this.keys.keyFor(ownerId)); // keyFor refuses an erased owner
    if (!cached?.box) this.cache.set(ownerId, { box, readAt: this.now() });
    return { $personal: `${FORMAT}.${ownerId}.${box.seal(value, associatedData(ownerId))}` };
  }

  /** The value, or null when its owner's key was erased. Throws on a value that was tampered with. */
  async open(sealed: SealedPersonalData): Promise<string | null> {
    const { ownerId, box: text } = parse(sealed.$personal);
    let cached = this.cached(ownerId);
    if (!cached) {
      const key = await this.keys.find(ownerId);
      cached = { box: key === null ? null : new SecretBox(key), readAt: this.now() };
      this.cache.set(ownerId, cached);
    }
    return cached.box === null ? null : cached.box.open(text, associatedData(ownerId));
  }

  /** Destroys the owner's key (what it sealed is unreadable from now on) and forgets any copy. */
  async erase(ownerId: string, at: Date): Promise<boolean> {
    this.cache.delete(ownerId);
    const erased = await this.keys.erase(ownerId, at);
    this.cache.set(ownerId, { box: null, readAt: this.now() });
    return erased;
  }

  /** Whose data it is, readable without the key (to show "erased" and to count). */
  static ownerOf(sealed: SealedPersonalData): string {
    return parse(sealed.$personal).ownerId;
  }

  private cached(ownerId: string) {
    const entry = this.cache.get(ownerId);
    if (!entry) return undefined;
    if (this.now() - entry.readAt < DATA_KEY_CACHE_MS) return entry;
    this.cache.delete(ownerId);
    return undefined;
  }
}

const associatedData = (ownerId: string) => `personal:${ownerId}`;

function parse(text: string): { ownerId: string; box: string } {
  const [format, ownerId, ...rest] = text.split('.');
  if (format !== FORMAT || !ownerId || rest.length === 0) throw new RangeError('Not a sealed personal value');
  return { ownerId, box: rest.join('.') };
}
