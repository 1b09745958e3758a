// Labels: one source shared with the server (domain/labels.ts, served as /labels.json), looked up
// by key: `ui.*` for the page's sentences, `stage.*`, `field.*`, `value.<field>.<value>`, `event.*`,
// `role.*`, `obligation.*`, `timer.*`, `command.*`. A missing key shows the raw value, never an error.

const LANGUAGE = 'entente-language';
export const LANGUAGES = ['en', 'fr'];

/** The language chosen on this page before, or the browser's. */
export function chosenLanguage(storage = localStorage, browser = navigator) {
  const chosen = storage.getItem(LANGUAGE);
  if (LANGUAGES.includes(chosen)) return chosen;
  return (browser.languages?.[0] || browser.language || 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export function chooseLanguage(language, storage = localStorage) {
  storage.setItem(LANGUAGE, language);
}

/** `{ en, fr }` from the API; empty dictionaries when it cannot be read (every label then shows its key's value). */
export async function loadLabels(call) {
  const res = await call('GET', '/labels.json', { anonymous: true });
  const ok = res.status === 200 && res.body && typeof res.body === 'object';
  return { en: (ok && res.body.en) || {}, fr: (ok && res.body.fr) || {} };
}

const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (whole, name) => (vars[name] === undefined ? whole : String(vars[name])));

/**
 * The labels of one language. `t(key, vars)` fills `{name}` placeholders; a key missing in this
 * language falls back to English, then to `fallback` (the raw value), then to the key itself.
 */
export function labelsFor(labels, language) {
  const own = labels[language] || {};
  const english = labels.en || {};
  const lookup = (key) => own[key] ?? english[key];
  const t = (key, vars = {}, fallback = key) => {
    const text = lookup(key);
    return text === undefined ? String(fallback) : fill(text, vars);
  };
  const named = (prefix) => (name) => (name === undefined || name === null || name === '' ? '' : t(`${prefix}.${name}`, {}, name));
  const stage = named('stage');
  return {
    language,
    locale: language === 'fr' ? 'fr-CA' : 'en-CA',
    has: (key) => lookup(key) !== undefined,
    t,
    stage,
    field: named('field'),
    role: named('role'),
    obligation: named('obligation'),
    timer: named('timer'),
    command: named('command'),
    /** "label: value", with the colon as the language writes it. */
    pair: (label, value) => t('ui.pair', { label, value }, `${label}: ${value}`),
    /** An enum value: `value.<field>.<value>`, else the raw value. */
    value: (field, value) => (value === undefined || value === null ? '' : t(`value.${field}.${value}`, {}, value)),
    /** A timeline event; a stage change (`stage:<stage>`) reads as the stage entered when no label names it. */
    event(event) {
      if (lookup(`event.${event}`) !== undefined) return t(`event.${event}`);
      const entered = /^stage:(.+)$/.exec(event);
      if (entered) return t('ui.enteredStage', { stage: stage(entered[1]) }, stage(entered[1]));
      return event;
    },
  };
}
