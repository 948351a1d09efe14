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
    typeof (value as SealedPersonalData).$personal === 'string' &&
    Object.keys(value).length === 1
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
    await this.prepareToSeal([ownerId]);
    return this.sealPrepared(ownerId, value);
  }

  /** The value, or null when its owner's key was erased. Throws on a value that was tampered with. */
  async open(sealed: SealedPersonalData): Promise<string | null> {
    await this.prepareToOpen([sealed]);
    return this.openPrepared(sealed);
  }

  /**
   * Reads the keys of these owners (made on first use) so that `sealPrepared` needs no I/O: one
   * read per owner not cached, instead of an await per value. Refuses an erased owner.
   */
  async prepareToSeal(ownerIds: Iterable<string>): Promise<void> {
    for (const ownerId of new Set(ownerIds)) {
      if (ownerId.includes('.')) throw new RangeError('An owner id cannot contain "."');
      if (this.cached(ownerId)?.box) continue;
      const box = new SecretBox(await this.keys.keyFor(ownerId)); // keyFor refuses an erased owner
      this.cache.set(ownerId, { box, readAt: this.now() });
    }
  }

  /** Seals with a key `prepareToSeal` read (just before: the cache keeps it DATA_KEY_CACHE_MS). */
  sealPrepared(ownerId: string, value: string): SealedPersonalData {
    const box = this.cache.get(ownerId)?.box;
    if (!box) throw new Error(`The data key of ${ownerId} was not prepared`);
    return { $personal: `${FORMAT}.${ownerId}.${box.seal(value, associatedData(ownerId))}` };
  }

  /** Reads the keys (or learns of their erasure) of the owners of these values. */
  async prepareToOpen(values: Iterable<SealedPersonalData>): Promise<void> {
    const owners = new Set<string>();
    for (const value of values) owners.add(parse(value.$personal).ownerId);
    for (const ownerId of owners) {
      if (this.cached(ownerId)) continue;
      const key = await this.keys.find(ownerId);
      this.cache.set(ownerId, { box: key === null ? null : new SecretBox(key), readAt: this.now() });
    }
  }

  /** Opens with a key `prepareToOpen` read: the value, or null when its owner was erased. */
  openPrepared(sealed: SealedPersonalData): string | null {
    const { ownerId, box: text } = parse(sealed.$personal);
    const entry = this.cache.get(ownerId);
    if (!entry) throw new Error(`The data key of ${ownerId} was not prepared`);
    return entry.box === null ? null : entry.box.open(text, associatedData(ownerId));
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
  const first = text.indexOf('.');
  const second = first < 0 ? -1 : text.indexOf('.', first + 1);
  if (second < 0 || text.slice(0, first) !== FORMAT || second === first + 1 || second === text.length - 1)
    throw new RangeError('Not a sealed personal value');
  return { ownerId: text.slice(first + 1, second), box: text.slice(second + 1) };
}
