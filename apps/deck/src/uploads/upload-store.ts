import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { ObjectStore } from '@nats-io/obj';
import { type BusNames, NotFoundError } from '@vista/contracts';
import { BUS_NAMES, JETSTREAM, openUploadsBucket } from '@vista/bus';

/** Uploaded files waiting to be ingested: the gateway puts them in the JetStream object store. */
@Injectable()
export class UploadStore {
  private store?: Promise<ObjectStore>;

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(BUS_NAMES) private readonly names: BusNames,
  ) {}

  async read(key: string): Promise<Uint8Array> {
    const data = await (await this.bucket()).getBlob(key);
    if (!data) throw new NotFoundError(`upload ${key} does not exist (expired or already ingested)`);
    return data;
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    await (await this.bucket()).putBlob({ name: key }, data);
  }

  async remove(key: string): Promise<void> {
    await (await this.bucket()).delete(key);
  }

  private bucket(): Promise<ObjectStore> {
    this.store ??= openUploadsBucket(this.js, this.names).catch((error: unknown) => {
      this.store = undefined;
      throw error;
    });
    return this.store;
  }
}
