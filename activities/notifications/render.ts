import nunjucks from 'nunjucks';
import type { Language, NotificationEvent } from '../../domain';
import { CATALOGUE } from './catalogue';

const text = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });
const html = new nunjucks.Environment(null, { autoescape: true, throwOnUndefined: false });

const HTML_LAYOUT = `<!doctype html>
<html lang="{{ language }}"><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
{% for p in paragraphs %}<p>{{ p }}</p>
{% endfor %}<p style="color:#666">Entente</p>
</body></html>`;

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

/**
 * Renders an event in one language. User-supplied values are escaped in the HTML part; the
 * subject is kept to one line because it becomes a header.
 */
export function renderNotification(
  event: NotificationEvent,
  language: Language,
  data: Record<string, unknown>,
): RenderedMessage {
  const entry = CATALOGUE[event][language];
  const subject = text.renderString(entry.subject, data).replace(/[\r\n]+/g, ' ').trim();
  const body = text.renderString(entry.body, data);
  const paragraphs = body.split(/\n{2,}/).map((p) => p.trim()).filter(Boolean);
  return {
    subject,
    text: `${paragraphs.join('\n\n')}\n\n-- \nEntente\n`,
    html: html.renderString(HTML_LAYOUT, { language, subject, paragraphs }),
  };
}
