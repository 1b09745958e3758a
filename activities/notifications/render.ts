import nunjucks from 'nunjucks';
import { FORMAL_EVENTS, type Language, type NotificationEvent } from '../../domain';
import { CATALOGUE } from './catalogue';
import { formatDate, label } from './format';

export interface RenderOptions {
  /** Where date-times are shown as days; bare dates are calendar days everywhere. */
  timeZone?: string;
}

/** The catalogue's templates see `language` and `timeZone` in their context; filters read them. */
function environment(autoescape: boolean): nunjucks.Environment {
  const env = new nunjucks.Environment(null, { autoescape, throwOnUndefined: false });
  env.addFilter('date', function (this: { ctx: { language: Language; timeZone?: string } }, value: unknown) {
    return formatDate(value, this.ctx.language, this.ctx.timeZone);
  });
  env.addFilter('label', function (this: { ctx: { language: Language } }, value: unknown) {
    return label(value, this.ctx.language);
  });
  return env;
}

const text = environment(false);
const html = environment(true);

/**
 * Each template compiled once per environment: the catalogue is fixed, and compiling is most of
 * the cost of rendering (renderString compiles at every call).
 */
const compiled = new Map<nunjucks.Environment, Map<string, nunjucks.Template>>();
function render(env: nunjucks.Environment, source: string, context: object): string {
  let templates = compiled.get(env);
  if (!templates) compiled.set(env, (templates = new Map()));
  let template = templates.get(source);
  if (!template) templates.set(source, (template = nunjucks.compile(source, env)));
  return template.render(context);
}
/**
 * Makes Entente's own link clickable in the HTML part. Only that URL, which the activity builds
 * from its settings, becomes a link: user text is escaped first and never turned into markup.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
html.addFilter('linkify', (value: string, link: unknown) => {
  const escaped = escapeHtml(String(value));
  if (typeof link !== 'string' || !link) return new nunjucks.runtime.SafeString(escaped);
  const href = escapeHtml(link);
  return new nunjucks.runtime.SafeString(escaped.split(href).join(`<a href="${href}">${href}</a>`));
});

const HTML_LAYOUT = `<!doctype html>
<html lang="{{ language }}"><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
{% for section in sections %}{% if not loop.first %}<hr>
{% endif %}<div lang="{{ section.language }}">
{% for block in section.blocks %}{% if block.items %}<ul>{% for item in block.items %}<li>{{ item }}</li>{% endfor %}</ul>
{% else %}<p>{{ block.text | linkify(link) }}</p>
{% endif %}{% endfor %}</div>
{% endfor %}<p style="color:#666">Entente</p>
</body></html>`;

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

type Block = { text: string; items?: undefined } | { items: string[]; text?: undefined };

interface Section {
  language: Language;
  subject: string;
  paragraphs: string[];
  blocks: Block[];
}

function renderSection(event: NotificationEvent, language: Language, data: Record<string, unknown>, options: RenderOptions): Section {
  const entry = CATALOGUE[event][language];
  const context = { ...data, language, timeZone: options.timeZone ?? 'UTC' };
  const subject = render(text, entry.subject, context)
    .replace(/[\r\n]+/g, ' ')
    .trim();
  const paragraphs = render(text, entry.body, context)
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean);
  const blocks = paragraphs.map((p): Block => {
    const lines = p.split('\n');
    return lines.every((l) => l.startsWith('- ')) ? { items: lines.map((l) => l.slice(2)) } : { text: p };
  });
  return { language, subject, paragraphs, blocks };
}

/**
 * Renders an event in one language, or in both for formal notices (the recipient's language
 * first), because a written notice must be readable by every party whatever its language.
 * User-supplied values are escaped in the HTML part; the subject is kept to one line because it
 * becomes a header.
 */
export function renderNotification(event: NotificationEvent, language: Language, data: Record<string, unknown>, options: RenderOptions = {}): RenderedMessage {
  const languages: Language[] = FORMAL_EVENTS.includes(event) ? [language, language === 'fr' ? 'en' : 'fr'] : [language];
  const sections = languages.map((l) => renderSection(event, l, data, options));
  const subject = sections.map((s) => s.subject).join(' / ');
  return {
    subject,
    text: `${sections.map((s) => s.paragraphs.join('\n\n')).join('\n\n----\n\n')}\n\n-- \nEntente\n`,
    html: render(html, HTML_LAYOUT, { language, subject, sections, link: data.link }),
  };
}
