import type { Language } from '../../domain';
import type { AgreementTemplate as Template } from '../../domain/agreement';

/**
 * The fixed words of the agreements in each language. Headings follow the ODEN guide's MOU
 * (Resource 5) and partnership agreement (Resource 6) and the CIPP shared-services agreement;
 * clauses without the parties' own text use the guide's examples.
 */
export interface Wording {
  documentTitle: Record<Template, string>;
  between: string;
  and: string;
  draft: (version: number) => string;
  headings: {
    purpose: string;
    context: string;
    responsibilitiesAndContacts: string;
    partyResponsibilities: (party: string) => string;
    partyContacts: (party: string) => string;
    term: string;
    signatories: string;
    parties: string;
    outcomes: string;
    values: string;
    roles: string;
    resources: string;
    financial: string;
    liability: string;
    evaluation: string;
    decisionMaking: string;
    conflictResolution: string;
    withdrawal: string;
    witness: string;
    services: string;
    fees: string;
    approval: string;
    termination: string;
    raci: string;
  };
  governedBy: (governingBody: string) => string;
  /** "Label: text", with the space French puts before a colon. */
  labelled: (label: string, text: string) => string;
  contactByTitle: string;
  noResponsibilities: string;
  noContacts: string;
  toBeAgreed: string;
  termFor: (kind: Template, months: number | undefined, text: string | undefined) => string;
  termDates: (effectiveOn: string | undefined, endsOn: string | undefined) => string | undefined;
  renewal: (before: string, meetingBy: string | undefined) => string;
  noticeAnyTime: (days: number) => string;
  duration: (months: number, days: number) => string;
  decision: (committee: string) => string[];
  conflict: string[];
  withdrawal: (committee: string, days: number) => string[];
  evaluationDefault: string;
  /** The committee's name without an article: clauses add their own. */
  steeringCommittee: string;
  servicesProvidedBy: (provider: string) => string;
  feesDefault: string[];
  approvalClauses: (served: string[]) => string[];
  witness: string;
  signatureFields: { name: string; signature: string; date: string; signedOn: (date: string) => string };
  raciLegend: string[];
  raciTask: string;
  raciLead: string;
}

const listJoin = (items: string[], and: string): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;

export const WORDING: Record<Language, Wording> = {
  fr: {
    documentTitle: {
      mou: 'Protocole d’entente',
      'partnership-agreement': 'Accord de partenariat entre les organisations',
      'shared-services-agreement': 'Entente de services partagés',
    },
    between: 'Entre',
    and: 'et',
    draft: (v) => `Ébauche, version ${v}`,
    headings: {
      purpose: 'But',
      context: 'Contexte',
      responsibilitiesAndContacts: 'Responsabilités et points de contact',
      partyResponsibilities: (p) => `${p} – Responsabilités`,
      partyContacts: (p) => `${p} – Points de contact`,
      term: 'Durée de l’entente',
      signatories: 'Signataires',
      parties: 'Parties',
      outcomes: 'Résultats, buts et objectifs',
      values: 'Valeurs du partenariat',
      roles: 'Rôles et responsabilités',
      resources: 'Engagements de ressources',
      financial: 'Engagements financiers',
      liability: 'Responsabilité et assurance',
      evaluation: 'Évaluation',
      decisionMaking: 'Prise de décision',
      conflictResolution: 'Résolution des conflits',
      withdrawal: 'Résiliation de la participation ou l’implication du partenaire',
      witness: 'En foi de quoi',
      services: 'Services offerts',
      fees: 'Tarification et relevé des activités',
      approval: 'Approbation par les instances décisionnelles',
      termination: 'Résiliation',
      raci: 'Matrice RACI',
    },
    governedBy: (body) => `représentée par son instance décisionnelle : ${body}`,
    labelled: (label, text) => `${label} : ${text}`,
    contactByTitle: 'Le point de contact est désigné par son titre, afin que l’entente demeure à jour même lorsque les personnes quittent leur poste.',
    noResponsibilities: 'À préciser par les parties.',
    noContacts: 'À préciser par les parties.',
    toBeAgreed: 'À convenir entre les partenaires.',
    termFor: (kind, months, text) =>
      `${kind === 'mou' ? 'Le présent protocole d’entente' : kind === 'partnership-agreement' ? 'Le présent accord' : 'La présente entente'} sera en vigueur pendant ${
        text ?? `${months} mois`
      } à compter de la date de la dernière signature.`,
    termDates: (from, to) =>
      from && to
        ? `Période d’application : du ${from} au ${to}.`
        : from
          ? `Période d’application : à compter du ${from}.`
          : to
            ? `Date de fin : ${to}.`
            : undefined,
    renewal: (before, by) =>
      `Environ ${before} avant l’expiration${by ? `, soit au plus tard le ${by},` : ''} les parties se rencontreront pour déterminer le renouvellement en fonction d’une évaluation des résultats et des réalisations du partenariat.`,
    noticeAnyTime: (days) =>
      `L’entente peut être résiliée à tout moment, sur avis écrit d’une partie aux autres, avec un minimum de ${days} jours, afin que tous les clients soient informés et que d’autres mesures de soutien appropriées soient mises en place pour eux.`,
    duration: (months, days) => [months ? `${months} mois` : '', days ? `${days} jour${days > 1 ? 's' : ''}` : ''].filter(Boolean).join(' et '),
    decision: (c) => [
      `Le ${c} s’efforcera de parvenir à un consensus dans toutes ses décisions.`,
      'Dans le cas où un consensus est impossible, la présidence peut demander qu’une question soit soumise à un vote où chaque partenaire aura droit à une voix et une majorité simple décidera du résultat.',
    ],
    conflict: [
      'En cas de différend, les partenaires conviennent :',
      '1. d’aborder leurs divergences d’une manière opportune, ouverte et honnête ;',
      '2. d’essayer de résoudre les problèmes à l’échelon hiérarchique auquel ils se produisent ;',
      '3. d’engager un médiateur indépendant, le cas échéant, pour évaluer le partenariat ou la situation, en cas de besoin ou dans le cadre d’une évaluation formelle.',
    ],
    withdrawal: (c, days) => [
      `Les partenaires donneront un préavis écrit d’au moins ${days} jours au ${c} mentionnant leur intention de se retirer du partenariat, et compléteront leurs engagements en matière de prestation de service et de compte rendu. Dans le cas où des partenaires ne respectent pas leurs engagements, la situation sera soumise au ${c} pour discussion et résolution des conflits, si nécessaire.`,
      `Dans le cas où les partenaires reconnaissent que leur participation n’est plus viable, ils peuvent accepter de dissoudre la relation, honorablement et sans acrimonie, après l’examen de la situation et des solutions de rechange par le ${c}. Un avis sera fourni par écrit à toutes les parties prenantes pertinentes.`,
    ],
    evaluationDefault:
      'Les partenaires tiennent un examen formel du rendement au moins deux fois par année : les résultats obtenus, la satisfaction des personnes servies et des organisations, et le respect des engagements de chacun.',
    steeringCommittee: 'Comité directeur',
    servicesProvidedBy: (p) => `Services fournis par ${p}`,
    feesDefault: [
      'Le relevé des activités permet de connaître les services réellement rendus à chaque organisation desservie et distingue clairement :',
      '- les honoraires pour services rendus ;',
      '- les honoraires liés au temps de déplacement ;',
      '- les frais de déplacement (kilométrage, hébergement, etc.) ;',
      '- les honoraires liés à la compensation convenue.',
    ],
    approvalClauses: (served) => [
      `L’offre de services est approuvée par ${listJoin(served, 'et')}, soit par une résolution de leur instance décisionnelle, soit par la signature de la présente entente.`,
      'Une copie des résolutions adoptées est acheminée périodiquement à l’équipe du programme.',
    ],
    witness: 'En foi de quoi, les parties ont signé la présente entente :',
    signatureFields: { name: 'Nom et titre :', signature: 'Signature :', date: 'Date :', signedOn: (d) => `Signé le ${d}` },
    raciLegend: [
      'R (Responsable) : la personne qui exécute le travail pour accomplir la tâche.',
      'A (Assume la responsabilité) : la personne qui est en fin de compte responsable de l’achèvement de la tâche, avec le pouvoir de décision et de veto ; une seule par tâche.',
      'C (Consulté) : les personnes qui fournissent des informations, avec une communication bidirectionnelle.',
      'I (Informé) : les personnes tenues au courant des progrès, avec une communication à sens unique.',
    ],
    raciTask: 'Tâche',
    raciLead: 'Organisation responsable',
  },
  en: {
    documentTitle: {
      mou: 'Memorandum of Understanding',
      'partnership-agreement': 'Partnership Agreement between the Organisations',
      'shared-services-agreement': 'Shared Services Agreement',
    },
    between: 'Between',
    and: 'and',
    draft: (v) => `Draft, version ${v}`,
    headings: {
      purpose: 'Purpose',
      context: 'Context',
      responsibilitiesAndContacts: 'Responsibilities and points of contact',
      partyResponsibilities: (p) => `${p}: responsibilities`,
      partyContacts: (p) => `${p}: points of contact`,
      term: 'Term of the agreement',
      signatories: 'Signatories',
      parties: 'Parties',
      outcomes: 'Outcomes, goals and objectives',
      values: 'Partnership values',
      roles: 'Roles and responsibilities',
      resources: 'Resource commitments',
      financial: 'Financial commitments',
      liability: 'Liability and insurance',
      evaluation: 'Evaluation',
      decisionMaking: 'Decision making',
      conflictResolution: 'Conflict resolution',
      withdrawal: 'Termination of a partner’s participation',
      witness: 'In witness whereof',
      services: 'Services',
      fees: 'Fees and statement of activities',
      approval: 'Approval by the governing bodies',
      termination: 'Termination',
      raci: 'RACI matrix',
    },
    governedBy: (body) => `represented by its governing body: ${body}`,
    labelled: (label, text) => `${label}: ${text}`,
    contactByTitle: 'Points of contact are named by title, so that the agreement stays current when people leave their positions.',
    noResponsibilities: 'To be specified by the parties.',
    noContacts: 'To be specified by the parties.',
    toBeAgreed: 'To be agreed between the partners.',
    termFor: (kind, months, text) =>
      `This ${kind === 'mou' ? 'Memorandum of Understanding' : 'agreement'} will be in force for ${text ?? `${months} months`} from the date of the last signature.`,
    termDates: (from, to) =>
      from && to ? `Period of application: from ${from} to ${to}.` : from ? `Period of application: from ${from}.` : to ? `End date: ${to}.` : undefined,
    renewal: (before, by) =>
      `About ${before} before expiry${by ? `, and no later than ${by},` : ''} the parties will meet to decide on renewal based on an evaluation of the partnership’s results and achievements.`,
    noticeAnyTime: (days) =>
      `The agreement may be terminated at any time by written notice from one party to the others of at least ${days} days, so that every client is informed and other appropriate supports are put in place for them.`,
    duration: (months, days) =>
      [months ? `${months} month${months > 1 ? 's' : ''}` : '', days ? `${days} day${days > 1 ? 's' : ''}` : ''].filter(Boolean).join(' and '),
    decision: (c) => [
      `The ${c} will strive to reach consensus in all of its decisions.`,
      'Where consensus is not possible, the chair may ask that a question be put to a vote in which each partner has one vote and a simple majority decides the outcome.',
    ],
    conflict: [
      'In the event of a dispute, the partners agree to:',
      '1. address their differences in a timely, open and honest way;',
      '2. try to resolve problems at the level where they occur;',
      '3. engage an independent mediator, where appropriate, to assess the partnership or the situation, as needed or as part of a formal evaluation.',
    ],
    withdrawal: (c, days) => [
      `Partners will give at least ${days} days’ written notice to the ${c} of their intention to withdraw from the partnership, and will complete their service delivery and reporting commitments. Where partners do not meet their commitments, the matter will be brought to the ${c} for discussion and conflict resolution if needed.`,
      `Where the partners recognise that their participation is no longer viable, they may agree to dissolve the relationship, honourably and without acrimony, after the ${c} has reviewed the situation and the alternatives. Notice will be given in writing to all relevant stakeholders.`,
    ],
    evaluationDefault:
      'The partners hold a formal performance review at least twice a year: the results achieved, the satisfaction of the people served and of the organisations, and whether each partner’s commitments are kept.',
    steeringCommittee: 'Steering Committee',
    servicesProvidedBy: (p) => `Services provided by ${p}`,
    feesDefault: [
      'The statement of activities shows the services actually provided to each served organisation and clearly separates:',
      '- fees for services rendered;',
      '- fees for travel time;',
      '- travel expenses (mileage, lodging, etc.);',
      '- fees for the agreed compensation.',
    ],
    approvalClauses: (served) => [
      `The service offer is approved by ${listJoin(served, 'and')}, either by a resolution of their governing body or by signing this agreement.`,
      'A copy of the resolutions adopted is forwarded periodically to the program team.',
    ],
    witness: 'In witness whereof, the parties have signed this agreement:',
    signatureFields: { name: 'Name and title:', signature: 'Signature:', date: 'Date:', signedOn: (d) => `Signed on ${d}` },
    raciLegend: [
      'R (Responsible): the person who does the work to complete the task.',
      'A (Accountable): the person ultimately answerable for the task, with decision-making authority and veto; only one per task.',
      'C (Consulted): the people who provide information, in two-way communication.',
      'I (Informed): the people kept up to date on progress, in one-way communication.',
    ],
    raciTask: 'Task',
    raciLead: 'Lead organisation',
  },
};
