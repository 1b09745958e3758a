import { defaultNoticeDays } from '../command-rules';
import { parseDuration } from '../durations';
import type { Language } from '../schemas/common';
import { activeParties, currentDraft, type PartnershipState } from '../state';
import { TEMPLATES } from '../templates';
import type { AgreementInputData } from './input';

const ROLE_LABELS: Record<Language, Record<'champion' | 'clerk' | 'signatory', string>> = {
  en: { champion: 'partnership lead', clerk: 'clerk', signatory: 'signatory' },
  fr: { champion: 'responsable du partenariat', clerk: 'greffe', signatory: 'signataire' },
};

/**
 * What the agreement says, from what the process knows: parties with their points of contact by
 * title (no addresses), the term, the notice period, the version being approved or signed and
 * its signatures.
 */
export function agreementInputOf(state: PartnershipState, language: Language): AgreementInputData {
  const term = parseDuration(state.durations.term);
  const draft = currentDraft(state);
  const version = state.signingRound?.draftVersion ?? draft?.version;
  return {
    template: TEMPLATES[state.template].agreementKind,
    language,
    title: state.title,
    purpose: state.purpose,
    ...(state.context ? { context: state.context } : {}),
    parties: activeParties(state).map((p) => ({
      id: p.id,
      legalName: p.legalName,
      kind: p.kind,
      governingBody: p.governingBody,
      contacts: (['champion', 'clerk', 'signatory'] as const).map((role) => p.contacts[role].title ?? ROLE_LABELS[language][role]),
      signatory: { name: p.contacts.signatory.name, title: p.contacts.signatory.title },
      ...(p.role ? { role: p.role } : {}),
    })),
    ...(term && term.ms === 0 ? { termMonths: term.months } : { termText: state.durations.term }),
    ...(state.term ? { effectiveOn: state.term.effectiveOn, endsOn: new Date(state.term.endsAt).toISOString().slice(0, 10) } : {}),
    renewalMeetingBefore: state.durations.renewalMeetingBefore,
    noticeDays: defaultNoticeDays(state),
    ...(version !== undefined ? { draftVersion: version } : {}),
    signatures: state.signatures
      .filter((s) => s.draftVersion === version)
      .map((s) => ({ partyId: s.partyId, signatoryName: s.signatoryName, signatoryTitle: s.signatoryTitle, signedOn: s.signedOn })),
  };
}
