import nunjucks from 'nunjucks';
import { AgreementInput, type AgreementInputData } from '../../domain/agreement';
import { buildAgreement, type AgreementModel, type Block, type Section } from './agreement-model';

export interface RenderedAgreement {
  language: AgreementInput['language'];
  template: AgreementInput['template'];
  title: string;
  /** The section headings in order, for a table of contents or a check. */
  headings: string[];
  markdown: string;
  html: string;
}

/** The input did not satisfy the schema; `issues` name the field and, for RACI rows, the task. */
export class AgreementInputError extends Error {
  constructor(readonly issues: Array<{ path: string; message: string }>) {
    super(`the agreement cannot be rendered: ${issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; ')}`);
    this.name = 'AgreementInputError';
  }
}

const HTML = `{% macro blocks(list) %}{% for b in list %}{% if b.kind == 'paragraph' %}<p>{{ b.text }}</p>
{% elif b.kind == 'subheading' %}<h3>{{ b.text }}</h3>
{% elif b.kind == 'list' %}<ul>{% for item in b.items %}<li>{{ item }}</li>{% endfor %}</ul>
{% elif b.kind == 'table' %}<table><thead><tr>{% for h in b.head %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>
{% for row in b.rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
{% elif b.kind == 'signature' %}<div class="signature"><h3>{{ b.party }}</h3><dl>{% for f in b.fields %}<dt>{{ f[0] }}</dt><dd>{{ f[1] }}</dd>{% endfor %}</dl></div>
{% endif %}{% endfor %}{% endmacro %}<!doctype html>
<html lang="{{ doc.language }}"><head><meta charset="utf-8"><title>{{ doc.title }}: {{ doc.name }}</title>
<style>body{font-family:serif;max-width:48em;margin:2em auto;line-height:1.5}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.25em .5em}.signature{margin:1.5em 0}</style>
</head><body>
<h1>{{ doc.title }}</h1>
<p class="name">{{ doc.name }}</p>
{% if doc.draft %}<p class="draft">{{ doc.draft }}</p>
{% endif %}<p class="between">{{ doc.subtitle }}</p>
{{ blocks(doc.preamble) }}
{% for section in doc.sections %}<section id="{{ section.id }}">
<h2>{{ section.heading }}</h2>
{{ blocks(section.blocks) }}
</section>
{% endfor %}</body></html>`;

const MARKDOWN = `{% macro blocks(list) %}{% for b in list %}{% if b.kind == 'paragraph' %}{{ b.text }}

{% elif b.kind == 'subheading' %}### {{ b.text }}

{% elif b.kind == 'list' %}{% for item in b.items %}- {{ item }}
{% endfor %}
{% elif b.kind == 'table' %}| {{ b.head | join(' | ') }} |
|{% for h in b.head %} --- |{% endfor %}
{% for row in b.rows %}| {{ row | join(' | ') }} |
{% endfor %}
{% elif b.kind == 'signature' %}### {{ b.party }}

{% for f in b.fields %}{{ f[0] }} {{ f[1] }}  
{% endfor %}
{% endif %}{% endfor %}{% endmacro %}
# {{ doc.title }}

**{{ doc.name }}**
{% if doc.draft %}
*{{ doc.draft }}*
{% endif %}
{{ doc.subtitle }}

{{ blocks(doc.preamble) }}{% for section in doc.sections %}
## {{ section.heading }}

{{ blocks(section.blocks) }}{% endfor %}`;

const html = new nunjucks.Environment(null, { autoescape: true, throwOnUndefined: true });
const markdown = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });

/**
 * Parties' text printed literally in Markdown: the punctuation that starts emphasis, code,
 * links, tables or raw HTML is backslash-escaped anywhere (CommonMark allows the escape before
 * any ASCII punctuation), what only matters at the start of a line (headings, lists, quotes)
 * there, and "&" where it would start an entity. Parentheses and the like stay readable.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/&(?=#?\w+;)/g, '\\&')
    .replace(/^(\s*)([#+=-])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

function escapeBlock(block: Block): Block {
  switch (block.kind) {
    case 'paragraph':
    case 'subheading':
      return { ...block, text: escapeMarkdown(block.text) };
    case 'list':
      return { ...block, items: block.items.map(escapeMarkdown) };
    case 'table':
      return { ...block, head: block.head.map(escapeMarkdown), rows: block.rows.map((r) => r.map(escapeMarkdown)) };
    case 'signature':
      return {
        ...block,
        party: escapeMarkdown(block.party),
        fields: block.fields.map(([k, v]) => [escapeMarkdown(k), /^_+$/.test(v) ? v.replace(/_/g, '\\_') : escapeMarkdown(v)]),
      };
  }
}

function escapeModel(doc: AgreementModel): AgreementModel {
  const section = (s: Section): Section => ({ ...s, heading: escapeMarkdown(s.heading), blocks: s.blocks.map(escapeBlock) });
  return {
    ...doc,
    title: escapeMarkdown(doc.title),
    name: escapeMarkdown(doc.name),
    subtitle: escapeMarkdown(doc.subtitle),
    ...(doc.draft ? { draft: escapeMarkdown(doc.draft) } : {}),
    preamble: doc.preamble.map(escapeBlock),
    sections: doc.sections.map(section),
  };
}

/**
 * Fills the MOU, partnership-agreement or shared-services template with the partnership's data,
 * as Markdown and HTML in the input's language. Pure: the same input gives the same document.
 */
export function renderAgreement(data: AgreementInputData): RenderedAgreement {
  const parsed = AgreementInput.safeParse(data);
  if (!parsed.success) {
    throw new AgreementInputError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const doc = buildAgreement(parsed.data);
  return {
    language: doc.language,
    template: parsed.data.template,
    title: `${doc.title}: ${doc.name}`,
    headings: doc.sections.map((s) => s.heading),
    markdown: `${markdown
      .renderString(MARKDOWN, { doc: escapeModel(doc) })
      .replace(/\n{3,}/g, '\n\n')
      .trim()}\n`,
    html: html.renderString(HTML, { doc }),
  };
}
