import { Injectable } from '@nestjs/common';

/**
 * Serialises writers of the live read model in this process: the consumer's batches, and a
 * rebuild's catch-up and swap (which pauses the batches while it holds the lock).
 */
@Injectable()
export class FoldLock {
  private tail: Promise<void> = Promise.resolve();
  private holders = 0;

  /** Runs `work` once every earlier holder is done; later callers wait for it. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    this.holders++;
    try {
      await previous;
      return await work();
    } finally {
      this.holders--;
      release();
    }
  }

  /** Whether someone holds or waits for the lock. */
  get busy(): boolean {
    return this.holders > 0;
  }
}
