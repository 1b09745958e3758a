/**
 * activities/documents: renderAgreement fills the agreements of the seeds, in French and English,
 * as Markdown and HTML; domain/agreement validates its input and the RACI matrix.
 *
 * | case                                              | expects                                         |
 * |---------------------------------------------------|-------------------------------------------------|
 * | MOU, fr and en                                    | every section heading of seed 003's Resource 5, |
 * |                                                   | in order, in both Markdown and HTML             |
 * | MOU facts                                         | legal names, purpose, context, responsibilities,|
 * |                                                   | contacts by title, term, dates, renewal meeting |
 * |                                                   | date, notice days, signatories, signed dates    |
 * | partnership agreement, fr and en                  | every heading of Resource 6; decision making by |
 * |                                                   | consensus else one vote per partner, simple     |
 * |                                                   | majority; conflict steps; withdrawal notice     |
 * | shared-services agreement                         | provider's services, fee categories, approval   |
 * |                                                   | by resolution, notice                           |
 * | RACI given                                        | a table with tasks, lead organisations, letters |
 * | RACI errors                                       | each names the task                             |
 * | hostile text                                      | escaped in HTML and Markdown                    |
 * | meetingDeadline                                   | calendar months, clamped to the month's end     |
 */
import { meetingDeadline } from '../../activities/documents/agreement-model';
import { AgreementInputError, escapeMarkdown, renderAgreement } from '../../activities/documents/render-agreement';
import { RaciMatrix, raciIssues, type AgreementInputData } from '../../domain/agreement';

const RIVERSIDE = 'Town of Riverside';
const MAPLE = 'Maple First Nation';

const raci = (): RaciMatrix => ({
  roles: [
    { id: 'riverside-manager', title: 'Director of Public Works', partyId: 'riverside' },
    { id: 'maple-manager', title: 'Band Manager', partyId: 'maple' },
    { id: 'maple-operator', title: 'Water Plant Operator', partyId: 'maple' },
  ],
  tasks: [
    { task: 'Operate the treatment plant', lead: 'maple', assignments: { 'maple-manager': 'A', 'maple-operator': 'R', 'riverside-manager': 'I' } },
    { task: 'Bill the services', lead: 'riverside', assignments: { 'riverside-manager': 'A/R', 'maple-manager': 'C' } },
  ],
});

function input(overrides: Partial<AgreementInputData> = {}): AgreementInputData {
  return {
    template: 'mou',
    language: 'en',
    title: 'Water services: Town of Riverside and Maple First Nation',
    purpose: 'To provide safe drinking water to both communities through a shared treatment plant.',
    context: 'Both communities draw from the same river and want one plant rather than two.',
    parties: [
      {
        id: 'riverside',
        legalName: RIVERSIDE,
        kind: 'municipality',
        governingBody: 'Municipal council',
        address: '1 Main Street, Riverside',
        mission: 'The Town provides municipal services to 12,000 residents.',
        responsibilities: ['Bill the services each quarter', 'Maintain the distribution network in town'],
        contacts: ['Director of Public Works'],
        signatory: { name: 'Mona Mayor', title: 'Mayor' },
        role: 'served',
      },
      {
        id: 'maple',
        legalName: MAPLE,
        kind: 'first-nation',
        governingBody: 'Band council',
        responsibilities: ['Operate the treatment plant'],
        contacts: ['Band Manager', 'Water Plant Operator'],
        signatory: { name: 'Claude Chief', title: 'Chief' },
        role: 'provider',
      },
    ],
    termMonths: 24,
    effectiveOn: '2025-03-01',
    endsOn: '2027-02-28',
    renewalMeetingBefore: '6 months',
    noticeDays: 90,
    signatures: [{ partyId: 'maple', signatoryName: 'Claude Chief', signatoryTitle: 'Chief', signedOn: '2025-02-27' }],
    ...overrides,
  };
}

/** The headings of seed 003, Resource 5 (MOU template), in order; English as the guide's translation. */
const MOU_HEADINGS = {
  fr: ['But', 'Contexte', 'Responsabilités et points de contact', 'Durée de l’entente', 'Signataires'],
  en: ['Purpose', 'Context', 'Responsibilities and points of contact', 'Term of the agreement', 'Signatories'],
};

/** Seed 003, Resource 6 (partnership agreement template), in order. */
const AGREEMENT_HEADINGS = {
  fr: [
    'Résultats, buts et objectifs',
    'Valeurs du partenariat',
    'Rôles et responsabilités',
    'Engagements de ressources',
    'Engagements financiers',
    'Responsabilité et assurance',
    'Évaluation',
    'Prise de décision',
    'Résolution des conflits',
    'Résiliation de la participation ou l’implication du partenaire',
    'En foi de quoi',
  ],
  en: [
    'Outcomes, goals and objectives',
    'Partnership values',
    'Roles and responsibilities',
    'Resource commitments',
    'Financial commitments',
    'Liability and insurance',
    'Evaluation',
    'Decision making',
    'Conflict resolution',
    'Termination of a partner’s participation',
    'In witness whereof',
  ],
};

const markdownHeadings = (md: string) =>
  md
    .split('\n')
    .filter((l) => l.startsWith('## '))
    .map((l) => l.slice(3));
const htmlHeadings = (html: string) => [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]!.replace(/&#39;/g, "'"));
const inOrder = (all: string[], wanted: string[]) => wanted.map((h) => all.indexOf(h));

describe('the MOU', () => {
  test.each(['fr', 'en'] as const)('(%s) has every section of the seed template, in order, in Markdown and HTML', (language) => {
    const doc = renderAgreement(input({ language }));
    for (const headings of [markdownHeadings(doc.markdown), htmlHeadings(doc.html), doc.headings]) {
      const positions = inOrder(headings, MOU_HEADINGS[language]);
      expect(positions).not.toContain(-1);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    }
    expect(doc.markdown.split('\n')[0]).toBe(language === 'fr' ? '# Protocole d’entente' : '# Memorandum of Understanding');
    expect(doc.markdown).toContain(language === 'fr' ? `Entre ${RIVERSIDE} et ${MAPLE}` : `Between ${RIVERSIDE} and ${MAPLE}`);
    expect(doc.html).toContain(`<html lang="${language}">`);
  });

  test('(en) states the facts of the partnership', () => {
    const { markdown, html } = renderAgreement(input());
    for (const text of [markdown, html]) {
      expect(text).toContain('Water services: Town of Riverside and Maple First Nation');
      expect(text).toContain('1 Main Street, Riverside, represented by its governing body: Municipal council');
      expect(text).toContain('To provide safe drinking water to both communities');
      expect(text).toContain('Both communities draw from the same river');
      expect(text).toContain(`${RIVERSIDE}: The Town provides municipal services to 12,000 residents.`);
      expect(text).toContain('Bill the services each quarter');
      expect(text).toContain('Water Plant Operator');
      expect(text).toContain('will be in force for 24 months from the date of the last signature');
      expect(text).toContain('Period of application: from March 1, 2025 to February 28, 2027.');
      expect(text).toContain('About 6 months before expiry, and no later than August 28, 2026, the parties will meet to decide on renewal');
      expect(text).toContain('written notice from one party to the others of at least 90 days');
      expect(text).toContain('Mona Mayor, Mayor');
      expect(text).toContain('Claude Chief, Chief');
      expect(text).toContain('Signed on February 27, 2025');
      expect(text).toContain('will strive to reach consensus');
    }
    expect(markdown).toContain(`### ${RIVERSIDE}: points of contact\n\n- Director of Public Works`);
    // Riverside has not signed yet: a line to sign on.
    expect(markdown).toContain('Signature: \\_\\_\\_');
    expect(renderAgreement(input({ language: 'fr' })).markdown).toContain('Nom et titre : Mona Mayor, Mayor');
  });

  test('(fr) states the facts in French', () => {
    const { markdown } = renderAgreement(input({ language: 'fr' }));
    expect(markdown).toContain('Le présent protocole d’entente sera en vigueur pendant 24 mois à compter de la date de la dernière signature.');
    expect(markdown).toContain('Période d’application : du 1er mars 2025 au 28 février 2027.');
    expect(markdown).toContain('Environ 6 mois avant l’expiration, soit au plus tard le 28 août 2026, les parties se rencontreront');
    expect(markdown).toContain('avec un minimum de 90 jours');
    expect(markdown).toContain(`${RIVERSIDE} : The Town provides municipal services`);
    expect(markdown).toContain(`### ${MAPLE} – Responsabilités\n\n- Operate the treatment plant`);
    expect(markdown).toContain('Signé le 27 février 2025');
    expect(markdown).toContain('chaque partenaire aura droit à une voix et une majorité simple décidera du résultat');
  });

  test('a term in words and no dates', () => {
    const { markdown } = renderAgreement(input({ termMonths: undefined, termText: 'two years', effectiveOn: undefined, endsOn: undefined }));
    expect(markdown).toContain('will be in force for two years from the date of the last signature');
    expect(markdown).toContain('About 6 months before expiry the parties will meet');
    expect(markdown).not.toContain('Period of application');
  });
});

describe('the partnership agreement', () => {
  test.each(['fr', 'en'] as const)('(%s) has every section of the seed template, in order', (language) => {
    const doc = renderAgreement(input({ template: 'partnership-agreement', language }));
    const positions = inOrder(markdownHeadings(doc.markdown), AGREEMENT_HEADINGS[language]);
    expect(positions).not.toContain(-1);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(inOrder(htmlHeadings(doc.html), AGREEMENT_HEADINGS[language])).not.toContain(-1);
  });

  test('(en) decision making, conflict resolution, withdrawal and evaluation', () => {
    const { markdown } = renderAgreement(
      input({ template: 'partnership-agreement', steeringCommittee: 'Water Committee', values: ['Mutual respect'], noticeDays: 91 }),
    );
    expect(markdown).toContain('# Partnership Agreement between the Organisations');
    expect(markdown).toContain('The Water Committee will strive to reach consensus in all of its decisions.');
    expect(markdown).toContain('each partner has one vote and a simple majority decides the outcome');
    expect(markdown).toContain('address their differences in a timely, open and honest way');
    expect(markdown).toContain('independent mediator');
    expect(markdown).toContain('at least 91 days’ written notice to the Water Committee');
    expect(markdown).toContain('at least twice a year');
    expect(markdown).toContain('Mutual respect');
    expect(markdown).toContain('To be agreed between the partners.'); // financial commitments not given
    expect(markdown).toContain('In witness whereof, the parties have signed this agreement:');
  });

  test('(fr) the same clauses in French', () => {
    const { markdown } = renderAgreement(input({ template: 'partnership-agreement', language: 'fr' }));
    expect(markdown).toContain('# Accord de partenariat entre les organisations');
    expect(markdown).toContain('Le Comité directeur s’efforcera de parvenir à un consensus');
    expect(markdown).toContain('préavis écrit d’au moins 90 jours au Comité directeur');
    expect(markdown).toContain('En foi de quoi, les parties ont signé la présente entente');
  });
});

describe('the shared-services agreement', () => {
  test.each(['fr', 'en'] as const)('(%s) the provider, the fees and the approval by resolution', (language) => {
    const { markdown, headings } = renderAgreement(
      input({ template: 'shared-services-agreement', language, services: ['Treated water delivered to the town network'] }),
    );
    expect(markdown).toContain(language === 'fr' ? `### Services fournis par ${MAPLE}` : `### Services provided by ${MAPLE}`);
    expect(markdown).toContain('Treated water delivered to the town network');
    expect(markdown).toContain(language === 'fr' ? 'les frais de déplacement' : 'travel expenses');
    expect(markdown).toContain(language === 'fr' ? `approuvée par ${RIVERSIDE}, soit par une résolution` : `approved by ${RIVERSIDE}, either by a resolution`);
    expect(headings).toContain(language === 'fr' ? 'Tarification et relevé des activités' : 'Fees and statement of activities');
    expect(markdown).toContain(language === 'fr' ? 'un minimum de 90 jours' : 'at least 90 days');
  });

  test('is refused without a provider', () => {
    const parties = input().parties!.map((p) => ({ ...p, role: 'served' as const }));
    expect(() => renderAgreement(input({ template: 'shared-services-agreement', parties }))).toThrow(/provider/);
  });
});

describe('the RACI matrix', () => {
  test('is rendered as a table when given', () => {
    const { markdown, html, headings } = renderAgreement(input({ raci: raci() }));
    expect(headings).toContain('RACI matrix');
    expect(markdown).toContain(
      `| Task | Lead organisation | Director of Public Works (${RIVERSIDE}) | Band Manager (${MAPLE}) | Water Plant Operator (${MAPLE}) |`,
    );
    expect(markdown).toContain(`| Operate the treatment plant | ${MAPLE} | I | A | R |`);
    expect(markdown).toContain(`| Bill the services | ${RIVERSIDE} | A/R | C |  |`);
    expect(html).toContain('<td>Operate the treatment plant</td>');
    expect(markdown).toContain('A (Accountable)');
    expect(renderAgreement(input()).headings).not.toContain('RACI matrix');
  });

  test('a valid matrix has no issues', () => {
    expect(raciIssues(raci(), ['riverside', 'maple'])).toEqual([]);
    expect(RaciMatrix.safeParse(raci()).success).toBe(true);
  });

  const broken = (task: string, assignments: Record<string, 'R' | 'A' | 'C' | 'I' | 'A/R'>, lead = 'maple') => {
    const matrix = raci();
    matrix.tasks.push({ task, lead, assignments });
    return matrix;
  };

  test.each([
    ['no Accountable', broken('Test the water', { 'maple-operator': 'R' }), /task "Test the water": has no Accountable/],
    [
      'two Accountable',
      broken('Test the water', { 'maple-operator': 'A', 'maple-manager': 'A', 'riverside-manager': 'R' }),
      /task "Test the water": has 2 Accountable \(Water Plant Operator, Band Manager\)/,
    ],
    ['no Responsible', broken('Test the water', { 'maple-manager': 'A', 'maple-operator': 'C' }), /task "Test the water": has no Responsible/],
    ['an unknown role', broken('Test the water', { 'maple-manager': 'A/R', ghost: 'I' }), /task "Test the water": role "ghost" is not in the matrix's roles/],
    [
      'an Accountable outside the lead organisation',
      broken('Test the water', { 'riverside-manager': 'A', 'maple-operator': 'R' }),
      /task "Test the water": the Accountable \(Director of Public Works\) is in "riverside", not in the lead organisation "maple"/,
    ],
  ])('%s: the error names the task', (_name, matrix, message) => {
    const result = RaciMatrix.safeParse(matrix);
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => i.message);
    expect(messages.some((m) => message.test(m))).toBe(true);
    const issue = result.error!.issues.find((i) => message.test(i.message))!;
    expect(issue.path.slice(0, 2)).toEqual(['tasks', 2]);
    expect(raciIssues(matrix).every((i) => i.task === 'Test the water')).toBe(true);
  });

  test('a lead organisation that is not a party is refused by the agreement, naming the task', () => {
    const matrix = broken('Test the water', { 'maple-manager': 'A/R' });
    matrix.tasks[2]!.lead = 'elsewhere';
    matrix.roles.push({ id: 'elsewhere-boss', title: 'Boss', partyId: 'elsewhere' });
    matrix.tasks[2]!.assignments = { 'elsewhere-boss': 'A/R' };
    expect(() => renderAgreement(input({ raci: matrix }))).toThrow(/task "Test the water": the lead organisation "elsewhere" is not a party/);
  });
});

describe('input and escaping', () => {
  test('a missing term is refused with the field named', () => {
    const error = (() => {
      try {
        renderAgreement(input({ termMonths: undefined }));
      } catch (err) {
        return err as AgreementInputError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(AgreementInputError);
    expect(error!.issues).toEqual([expect.objectContaining({ path: 'termMonths' })]);
  });

  test('a signature by an unknown party is refused', () => {
    expect(() => renderAgreement(input({ signatures: [{ partyId: 'nobody', signatoryName: 'X', signatoryTitle: 'Y', signedOn: '2025-01-01' }] }))).toThrow(
      /signatures\.0\.partyId/,
    );
  });

  test('hostile text is escaped in HTML and printed literally in Markdown', () => {
    const parties = input().parties!;
    const hostile = [{ ...parties[0]!, legalName: '<script>alert(1)</script> *Town* [x](http://evil)' }, parties[1]!];
    const { html, markdown } = renderAgreement(input({ parties: hostile, purpose: '# Not a heading\n\n- nor a list' }));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(markdown).toContain('\\<script\\>alert(1)\\</script\\> \\*Town\\* \\[x\\](http://evil)');
    expect(markdown).not.toMatch(/^# Not a heading/m);
    expect(markdown).toContain('\\# Not a heading');
  });

  test('escapeMarkdown keeps ordinary text readable', () => {
    expect(escapeMarkdown('Town of Riverside (Ontario), 12,000 residents.')).toBe('Town of Riverside (Ontario), 12,000 residents.');
    expect(escapeMarkdown('1. first')).toBe('1\\. first');
    expect(escapeMarkdown('Smith &amp; Sons | a_b')).toBe('Smith \\&amp; Sons \\| a\\_b');
  });

  test('meetingDeadline counts calendar months and clamps to the end of the month', () => {
    expect(meetingDeadline('2027-02-28', '6 months')).toBe('2026-08-28');
    expect(meetingDeadline('2027-08-31', '6 months')).toBe('2027-02-28');
    expect(meetingDeadline('2028-08-31', 'P6M')).toBe('2028-02-29');
    expect(meetingDeadline('2027-01-15', '30 days')).toBe('2026-12-16');
    expect(meetingDeadline('2027-01-15', 'soon')).toBeUndefined();
  });
});
