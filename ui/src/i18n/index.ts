import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Lang } from '../ipc/bindings';
import { en, id, type MessageKey } from './messages';

export type { MessageKey };
export type Vars = Record<string, string | number>;

/** Keys that come in `_one`/`_other` pairs, without the suffix. */
export type PluralKey = MessageKey extends infer K
  ? K extends `${infer Base}_one`
    ? Base
    : never
  : never;

export type Translator = {
  lang: Lang;
  t: (key: MessageKey, vars?: Vars) => string;
  /** The plural form of `key` for `n`; `{n}` in the text is `n` formatted for the language. */
  tp: (key: PluralKey, n: number, vars?: Vars) => string;
};

const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { id, en };

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(id, key);
}

function fill(text: string, vars: Vars | undefined): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole,
  );
}

export function makeTranslator(lang: Lang): Translator {
  const dict = DICTIONARIES[lang];
  const plural = new Intl.PluralRules(lang);
  const number = new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB');
  const t = (key: MessageKey, vars?: Vars) => fill(dict[key], vars);
  const tp = (key: PluralKey, n: number, vars?: Vars) => {
    const form = plural.select(n) === 'one' ? 'one' : 'other';
    return t(`${key}_${form}` as MessageKey, { ...vars, n: number.format(n) });
  };
  return { lang, t, tp };
}

export const I18nContext = createContext<Translator>(makeTranslator('id'));

export const useI18n = (): Translator => useContext(I18nContext);
