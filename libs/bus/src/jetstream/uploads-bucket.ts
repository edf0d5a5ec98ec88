import type { JetStreamClient } from '@nats-io/jetstream';
import { type ObjectStore, Objm } from '@nats-io/obj';
import type { BusNames } from '@vista/contracts';

/**
 * Uploads nobody collected (the deck service reads and deletes each one it ingests) expire after a
 * day, so a crash between upload and ingest cannot fill the bucket.
 */
const UPLOAD_TTL_NANOS = 24 * 60 * 60 * 1e9;

/**
 * Opens the bucket deck files wait in between the gateway and the deck service, creating it with
 * its TTL on first use. Both sides call this, so whichever comes first creates it the same way.
 */
export function openUploadsBucket(js: JetStreamClient, names: BusNames): Promise<ObjectStore> {
  return new Objm(js).create(names.uploadsBucket, { ttl: UPLOAD_TTL_NANOS });
}
