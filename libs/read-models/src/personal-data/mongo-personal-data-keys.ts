import { randomBytes } from 'node:crypto';
import mongoose, { Connection, mongo } from 'mongoose';
import { KeyWrapper, PersonalDataErasedError, PersonalDataKeys } from './personal-data-keys.port';

interface KeyDocument {
  _id: string;
  wrappedKey?: string;
  createdAt: string;
  erasedAt: string | null;
}

/**
 * Data keys in a collection of their own. An erased key is removed from its document with
 * `$unset` (MongoDB may keep old versions in its storage files until they are reused or compacted:
 * run `compact` on this collection after erasures where that matters).
 */
export class MongoPersonalDataKeys extends PersonalDataKeys {
  private constructor(
    private readonly connection: Connection,
    private readonly keys: mongo.Collection<KeyDocument>,
    private readonly wrapper: KeyWrapper,
  ) {
    super();
  }

  static async connect(url: string, wrapper: KeyWrapper): Promise<MongoPersonalDataKeys> {
    const connection = await mongoose.createConnection(url).asPromise();
    if (!connection.db) throw new Error('MongoDB connection has no database');
    return new MongoPersonalDataKeys(connection, connection.db.collection<KeyDocument>('personal_data_keys'), wrapper);
  }

  override async keyFor(userId: string): Promise<Buffer> {
    const document = await this.keys.findOneAndUpdate(
      { _id: userId },
      {
        $setOnInsert: {
          wrappedKey: this.wrapper.wrap(randomBytes(32), userId),
          createdAt: new Date().toISOString(),
          erasedAt: null,
        },
      },
      { upsert: true, returnDocument: 'after' },
    );
    if (!document?.wrappedKey) throw new PersonalDataErasedError(userId);
    return this.wrapper.unwrap(document.wrappedKey, userId);
  }

  override async find(userId: string): Promise<Buffer | null> {
    const document = await this.keys.findOne({ _id: userId });
    return document?.wrappedKey ? this.wrapper.unwrap(document.wrappedKey, userId) : null;
  }

  override async erase(userId: string, at: Date): Promise<boolean> {
    const before = await this.keys.findOneAndUpdate(
      { _id: userId },
      [
        {
          $set: {
            erasedAt: { $ifNull: ['$erasedAt', at.toISOString()] },
            createdAt: { $ifNull: ['$createdAt', at.toISOString()] },
          },
        },
        { $unset: 'wrappedKey' },
      ],
      { upsert: true, returnDocument: 'before' },
    );
    return Boolean(before?.wrappedKey);
  }

  override async erasedAt(userId: string): Promise<string | null> {
    return (await this.keys.findOne({ _id: userId }))?.erasedAt ?? null;
  }

  override async close(): Promise<void> {
    await this.connection.close();
  }
}
