import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { ObjectStore } from '@nats-io/obj';
import { BUS_NAMES, JETSTREAM, openUploadsBucket } from '@vista/bus';
import { type BusNames, NotFoundError, UnavailableError } from '@vista/contracts';

export interface UploadMetadata {
  readonly filename: string;
  readonly contentType: string;
}

/** The JetStream object-store bucket deck files wait in between the gateway and the deck service. */
@Injectable()
export class UploadStore {
  private readonly logger = new Logger(UploadStore.name);
  private bucket?: Promise<ObjectStore>;

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(BUS_NAMES) private readonly names: BusNames,
  ) {}

  async put(key: string, data: Uint8Array, metadata: UploadMetadata): Promise<void> {
    try {
      const store = await this.open();
      await store.putBlob({ name: key, description: metadata.filename, metadata: { filename: metadata.filename, contentType: metadata.contentType } }, data);
    } catch (error) {
      throw new UnavailableError(`the upload could not be stored: ${(error as Error).message}`, { cause: error });
    }
  }

  /** An object's bytes (an exported deck); a missing one is a NotFoundError. */
  async get(key: string): Promise<Uint8Array> {
    let data: Uint8Array | null;
    try {
      data = await (await this.open()).getBlob(key);
    } catch (error) {
      throw new UnavailableError(`the object could not be read: ${(error as Error).message}`, { cause: error });
    }
    if (!data) throw new NotFoundError(`object ${key} is no longer in the bucket`);
    return data;
  }

  /** Best effort: a leftover object expires with the bucket's TTL anyway. */
  async delete(key: string): Promise<void> {
    try {
      const store = await this.open();
      await store.delete(key);
    } catch (error) {
      this.logger.warn(`could not delete upload ${key}: ${(error as Error).message}`);
    }
  }

  /** Opens the bucket, creating it on first use; a failed attempt is retried next time. */
  private open(): Promise<ObjectStore> {
    this.bucket ??= openUploadsBucket(this.js, this.names).catch((error: unknown) => {
      this.bucket = undefined;
      throw error;
    });
    return this.bucket;
  }
}
