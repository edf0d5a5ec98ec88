/** Names of every subject, stream and bucket derived from one bus namespace (e.g. `vista`). */
export interface BusNames {
  readonly namespace: string;
  readonly eventsStream: string;
  readonly deadLetterStream: string;
  readonly uploadsBucket: string;
  /** Decks, DOE datasets and model artifacts handed from one stage to the next. */
  readonly artifactsBucket: string;
  /** `<ns>.evt.>` — every event. */
  readonly allEvents: string;
  /** `<ns>.dlq.>` — every dead letter. */
  readonly allDeadLetters: string;
  eventSubject(context: string, key: string | number, type: string): string;
  /** `<ns>.evt.<context>.*.<Type>` — one event type, whatever its subject key. */
  eventTypeSubject(context: string, type: string): string;
  commandSubject(pattern: string): string;
  deadLetterSubject(consumer: string, type: string): string;
}

const NAMESPACE = /^[a-z][a-z0-9_-]{0,39}$/;

/** Derives subjects and stream names; a namespace isolates one deployment (or one test run) from another. */
export function busNames(namespace: string): BusNames {
  if (!NAMESPACE.test(namespace)) {
    throw new Error(`bus namespace "${namespace}" must match ${NAMESPACE.source}`);
  }
  const upper = namespace.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return {
    namespace,
    eventsStream: `${upper}_EVENTS`,
    deadLetterStream: `${upper}_DLQ`,
    uploadsBucket: `${namespace}_uploads`,
    artifactsBucket: `${namespace}_artifacts`,
    allEvents: `${namespace}.evt.>`,
    allDeadLetters: `${namespace}.dlq.>`,
    eventSubject: (context, key, type) => `${namespace}.evt.${context}.${subjectToken(String(key))}.${type}`,
    eventTypeSubject: (context, type) => `${namespace}.evt.${subjectToken(context)}.*.${subjectToken(type)}`,
    commandSubject: (pattern) => `${namespace}.${pattern}`,
    deadLetterSubject: (consumer, type) => `${namespace}.dlq.${subjectToken(consumer)}.${subjectToken(type)}`,
  };
}

/** A subject token may not contain separators or wildcards. */
function subjectToken(raw: string): string {
  const token = raw.replace(/[.\s*>]/g, '_');
  return token.length > 0 ? token : '_';
}
