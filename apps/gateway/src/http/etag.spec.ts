import { describe, expect, it } from '@jest/globals';
import { ifNoneMatchHits, weakEtag } from './etag.js';

describe('weakEtag', () => {
  it('names the kind, the id and the position', () => {
    expect(weakEtag('kit', 42, 1337)).toBe('W/"kit-42-1337"');
  });
});

describe('ifNoneMatchHits', () => {
  const etag = 'W/"kit-42-1337"';

  it('hits the same tag', () => expect(ifNoneMatchHits('W/"kit-42-1337"', etag)).toBe(true));
  it('hits the strong spelling of the same tag (weak comparison)', () => expect(ifNoneMatchHits('"kit-42-1337"', etag)).toBe(true));
  it('hits a tag in a list', () => expect(ifNoneMatchHits('W/"kit-42-1", W/"kit-42-1337"', etag)).toBe(true));
  it('hits *', () => expect(ifNoneMatchHits('*', etag)).toBe(true));
  it('misses an older position', () => expect(ifNoneMatchHits('W/"kit-42-1336"', etag)).toBe(false));
  it('misses without a header', () => expect(ifNoneMatchHits(undefined, etag)).toBe(false));
});
