/**
 * STYLE.md 2: each record-page detector accepts its own example URLs and
 * rejects every other detector's, and its own non-record URLs (EXT-DET-1).
 */
import { describe, expect, it } from 'vitest';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { DETECTORS } from './detectors.ts';

describe.each(DETECTORS)('record detection: $crm', (detector) => {
  it.each(detector.examples.map(([url, expected]) => ({ url, expected })))(
    'EXT-DET-1: accepts $url',
    ({ url, expected }) => {
      expect(detector.detect(url)).toEqual(expected);
      // The content script must run there for the panel to appear.
      expect(detector.matches.some((p) => new MatchPattern(p).includes(url))).toBe(true);
    },
  );

  const others = DETECTORS.filter((d) => d !== detector).flatMap((d) => d.examples.map(([url]) => url));
  it.each([...detector.nonRecords, ...others])('EXT-DET-1: rejects %s', (url) => {
    expect(detector.detect(url)).toBeNull();
  });
});
