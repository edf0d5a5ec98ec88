import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import { TimeoutError } from '@nats-io/transport-node';
import { type ObjectStore, Objm } from '@nats-io/obj';
import { type BusNames, VistaError } from '@vista/contracts';
import { BUS_NAMES, JETSTREAM } from '../bus.tokens.js';

/** Object names in the artifacts bucket, one folder per kind. */
export const artifactName = {
  deck: (deckId: string) => `decks/${deckId}.json`,
  dataset: (datasetId: string) => `datasets/${datasetId}.json`,
  model: (modelId: string) => `models/${modelId}.json`,
} as const;

/**
 * The bucket stages hand their outputs through (a deck's rows to DOE, a labelled design to ML, a
 * model to the optimiser): too large for an event, read by another service. Each owner keeps its own
 * copy in Postgres, the durable record; the object is put before the event that names it is appended.
 */
export function openArtifactsBucket(js: JetStreamClient, names: BusNames, options: { replicas?: number } = {}): Promise<ObjectStore> {
  return new Objm(js).create(names.artifactsBucket, { replicas: options.replicas ?? 1 });
}

/** Tries of a bucket operation the server did not answer in time; waits between them double from ARTIFACT_RETRY_MS. */
export const ARTIFACT_TRIES = 4;
const ARTIFACT_RETRY_MS = 500;

const isTimeout = (error: unknown): boolean => error instanceof TimeoutError || (error instanceof Error && error.cause instanceof TimeoutError);

/**
 * Runs a bucket operation, again (bounded, with backoff) while the server does not answer in time: a
 * server busy with many large objects at once is slow, not gone. Putting an object again under its
 * name replaces it, and reading has no effect, so a try that timed out but went through harms nothing.
 */
async function patiently<T>(what: string, operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isTimeout(error)) throw error;
      if (attempt >= ARTIFACT_TRIES) {
        throw new VistaError('unavailable', `the artifacts bucket did not answer in time ${what} (${ARTIFACT_TRIES} tries)`, { cause: error });
      }
      await sleep(ARTIFACT_RETRY_MS * 2 ** (attempt - 1));
    }
  }
}

/** Stores a JSON value under `name`; returns the SHA-256 of its bytes (`sha256:<hex>`). */
export async function putJsonArtifact(bucket: ObjectStore, name: string, json: string): Promise<string> {
  const bytes = new TextEncoder().encode(json);
  await patiently(`storing ${name}`, () => bucket.putBlob({ name }, bytes));
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Reads a JSON artifact as text; a missing one is a clear `not-found`. */
export async function getJsonArtifact(bucket: ObjectStore, name: string): Promise<string> {
  const bytes = await patiently(`reading ${name}`, () => bucket.getBlob(name));
  if (!bytes) throw new VistaError('not-found', `artifact ${name} is not in the artifacts bucket`);
  return new TextDecoder().decode(bytes);
}

/** The artifacts bucket of this process's bus namespace, opened (and created) on first use. */
@Injectable()
export class ArtifactsBucket {
  private bucket?: Promise<ObjectStore>;

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(BUS_NAMES) private readonly names: BusNames,
  ) {}

  /** Stores JSON text; returns its SHA-256 digest. */
  async put(name: string, json: string): Promise<string> {
    return putJsonArtifact(await this.open(), name, json);
  }

  async get(name: string): Promise<string> {
    return getJsonArtifact(await this.open(), name);
  }

  async has(name: string): Promise<boolean> {
    const bucket = await this.open();
    return (await patiently(`looking up ${name}`, () => bucket.info(name))) !== null;
  }

  private open(): Promise<ObjectStore> {
    this.bucket ??= openArtifactsBucket(this.js, this.names).catch((error: unknown) => {
      this.bucket = undefined;
      throw error;
    });
    return this.bucket;
  }
}
