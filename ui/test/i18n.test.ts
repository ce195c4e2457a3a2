import { describe, expect, it } from 'vitest';
import { makeTranslator } from '../src/i18n';
import { en, id, SAME_IN_BOTH } from '../src/i18n/messages';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
  it('has every key in both languages, never empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
    for (const [key, text] of Object.entries(id)) {
      expect(text.trim(), `id ${key}`).not.toBe('');
      expect(en[key as keyof typeof en].trim(), `en ${key}`).not.toBe('');
    }
  });

  it('translates everything except the names on the allow-list', () => {
    const same = Object.keys(id).filter((k) => id[k as keyof typeof id] === en[k as keyof typeof en]);
    expect(same.sort()).toEqual([...SAME_IN_BOTH].sort());
  });

  it('uses the same placeholders in both languages', () => {
    for (const key of Object.keys(id) as (keyof typeof id)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(id[key]));
    }
  });

  it('has plural forms in pairs', () => {
    for (const key of Object.keys(id)) {
      if (key.endsWith('_one')) expect(id).toHaveProperty(key.replace(/_one$/, '_other'));
      if (key.endsWith('_other')) expect(id).toHaveProperty(key.replace(/_other$/, '_one'));
    }
  });
});

describe('translator', () => {
  it('fills values and leaves unknown placeholders visible', () => {
    const { t } = makeTranslator('en');
    expect(t('proof.counter', { n: 12, max: 4000 })).toBe('12/4000 characters');
    expect(t('proof.counter', { n: 12 })).toBe('12/{max} characters');
  });

  it('picks plural forms by language and formats the count', () => {
    expect(makeTranslator('en').tp('settings.unsentForce', 1)).toBe('Sign out anyway and delete 1 report');
    expect(makeTranslator('en').tp('settings.unsentForce', 3)).toBe('Sign out anyway and delete 3 reports');
    expect(makeTranslator('id').tp('settings.unsentForce', 1200)).toBe('Tetap keluar dan hapus 1.200 laporan');
  });
});
