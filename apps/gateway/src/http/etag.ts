import type { Response } from 'express';

/** A weak entity tag: `W/"<kind>-<id>-<position>"` (the position is the read model's version). */
export function weakEtag(kind: string, id: string | number, position: number | string): string {
  return `W/"${kind}-${id}-${position}"`;
}

/**
 * Whether an If-None-Match header matches `etag` (weak comparison, RFC 9110 §13.1.2): `*` or any
 * listed tag with the same opaque value.
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const trimmed = header.trim();
  if (trimmed === '*') return true;
  const wanted = opaque(etag);
  return trimmed.split(',').some((tag) => opaque(tag.trim()) === wanted);
}

function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/** The read-model position an answer was built at. */
export const POSITION_HEADER = 'Vista-Position';

/** Marks a versioned answer: clients must revalidate (`no-cache`), with the ETag, every time. */
export function setVersion(res: Response, etag: string, position: number): void {
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('ETag', etag);
  res.setHeader(POSITION_HEADER, String(position));
}

export function sendNotModified(res: Response, etag: string, position: number): void {
  setVersion(res, etag, position);
  res.status(304).end();
}
