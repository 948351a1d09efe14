export interface StorageOptions {
  /** Run the projector in this process (the embedded default, and the projector app). */
  runProjector: boolean;
}

export const STORAGE_OPTIONS = Symbol('STORAGE_OPTIONS');
