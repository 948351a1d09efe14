import { SecretBox } from '@app/security';
import { PersonalDataKeys } from './personal-data-keys.port';

/** A personal value as events will hold it: sealed with its owner's data key (docs/ERASURE.md). */
export interface SealedPersonalData {
  /** `v1.<owner id>.<SecretBox output>` */
  $personal: string;
}

const FORMAT = 'v1';

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
  constructor(private readonly keys: PersonalDataKeys) {}

  async seal(ownerId: string, value: string): Promise<SealedPersonalData> {
    if (ownerId.includes('.')) throw new RangeError('An owner id cannot contain "."');
    const box = new SecretBox(await this.keys.keyFor(ownerId));
    return { $personal: `${FORMAT}.${ownerId}.${box.seal(value, associatedData(ownerId))}` };
  }

  /** The value, or null when its owner's key was erased. Throws on a value that was tampered with. */
  async open(sealed: SealedPersonalData): Promise<string | null> {
    const { ownerId, box } = parse(sealed.$personal);
    const key = await this.keys.find(ownerId);
    return key === null ? null : new SecretBox(key).open(box, associatedData(ownerId));
  }

  /** Whose data it is, readable without the key (to show "erased" and to count). */
  static ownerOf(sealed: SealedPersonalData): string {
    return parse(sealed.$personal).ownerId;
  }
}

const associatedData = (ownerId: string) => `personal:${ownerId}`;

function parse(text: string): { ownerId: string; box: string } {
  const [format, ownerId, ...rest] = text.split('.');
  if (format !== FORMAT || !ownerId || rest.length === 0) throw new RangeError('Not a sealed personal value');
  return { ownerId, box: rest.join('.') };
}
