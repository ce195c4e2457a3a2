import { describe, expect, it } from 'vitest';
import { DESCRIPTION_MAX_CHARS, descriptionLength, descriptionTooLong, draftDescription } from '../src/logic/text';

describe('description', () => {
  it('counts characters as ronda-core does: code points, trimmed, CRLF as one', () => {
    expect(descriptionLength('  Jalan berlubang  ')).toBe(15);
    expect(descriptionLength('a\r\nb')).toBe(3);
    expect(descriptionLength('🔥🔥')).toBe(2);
  });

  it('allows 4,000 characters and no more', () => {
    expect(DESCRIPTION_MAX_CHARS).toBe(4000);
    expect(descriptionTooLong('x'.repeat(4000))).toBe(false);
    expect(descriptionTooLong('🔥'.repeat(4000))).toBe(false);
    expect(descriptionTooLong('x'.repeat(4001))).toBe(true);
  });

  it('sends null for an empty description and trimmed text otherwise', () => {
    expect(draftDescription('   \n ')).toBeNull();
    expect(draftDescription(' Lubang besar\r\ndi depan pos ')).toBe('Lubang besar\ndi depan pos');
  });
});
