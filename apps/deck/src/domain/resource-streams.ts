import type { DatasetType } from '@vista/contracts';

/** The events of one stream as a use case reads them (type, data, who appended it). */
export interface StreamEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: { readonly actor: string };
}

export interface DeckProfileState {
  readonly deckId: string;
  readonly owner: string;
  readonly name: string;
  readonly description: string | null;
  readonly datasetType: DatasetType;
  readonly groundTruth: string | null;
  readonly archived: boolean;
  /** The stream's version: the next append expects it. */
  readonly version: number;
}

/** Folds a deck's stream (`deck-<deckId>`): DeckIngested, then whole profiles from DeckUpdated / DeckArchived. Undefined when never ingested. */
export function foldDeck(deckId: string, events: readonly StreamEvent[]): DeckProfileState | undefined {
  let state: DeckProfileState | undefined;
  for (const [index, event] of events.entries()) {
    const d = event.data;
    const profile = {
      name: d.name as string,
      description: (d.description as string | undefined) ?? null,
      datasetType: d.datasetType as DatasetType,
      groundTruth: (d.groundTruth as string | undefined) ?? null,
    };
    if (event.type === 'DeckIngested') state = { deckId, owner: event.metadata.actor, ...profile, archived: false, version: index + 1 };
    else if (state && event.type === 'DeckUpdated') state = { ...state, ...profile, version: index + 1 };
    else if (state && event.type === 'DeckArchived') state = { ...state, ...profile, archived: true, version: index + 1 };
    else if (state) state = { ...state, version: index + 1 };
  }
  return state;
}

export interface KitDefinitionState {
  readonly kitId: number;
  readonly owner: string;
  readonly name: string;
  readonly description: string | null;
  readonly defaultParams: Record<string, unknown>;
  readonly projectId: string | null;
  readonly archived: boolean;
  readonly version: number;
}

/**
 * Folds a kit's stream (`kit-<kitId>`): KitCreated, then whole definitions from KitUpdated / KitArchived.
 * A kit first started by id (`startedBy`: who started its first run, its owner) has no KitCreated: it
 * starts unnamed and its first update names it.
 */
export function foldKit(kitId: number, events: readonly StreamEvent[], startedBy?: string): KitDefinitionState | undefined {
  let state: KitDefinitionState | undefined =
    startedBy === undefined
      ? undefined
      : { kitId, owner: startedBy, name: `kit ${kitId}`, description: null, defaultParams: {}, projectId: null, archived: false, version: 0 };
  for (const [index, event] of events.entries()) {
    const d = event.data;
    const definition = {
      name: d.name as string,
      description: (d.description as string | undefined) ?? null,
      defaultParams: (d.defaultParams as Record<string, unknown> | undefined) ?? {},
      projectId: (d.projectId as string | undefined) ?? null,
    };
    if (event.type === 'KitCreated') state = { kitId, owner: event.metadata.actor, ...definition, archived: false, version: index + 1 };
    else if (state && event.type === 'KitUpdated') state = { ...state, ...definition, version: index + 1 };
    else if (state && event.type === 'KitArchived') state = { ...state, ...definition, archived: true, version: index + 1 };
    else if (state) state = { ...state, version: index + 1 };
  }
  return state;
}

/** Optional text fields travel in events only when set (the contracts' `IsOptional` fields). */
export function withoutNulls<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]?: NonNullable<T[K]> };
}

/** Whether `actor` (with `roles`) may change an object `owner` owns: its owner or an admin. */
export const mayChange = (actor: string, roles: readonly string[] | undefined, owner: string): boolean => actor === owner || !!roles?.includes('admin');
