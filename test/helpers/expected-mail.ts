import type { StartPartnership } from '../../domain';
import type { ReceivedMail } from './smtp';

type PartyRole = 'champion' | 'clerk' | 'signatory';

/** Who receives what, from the start request itself. */
export function recipientsOf(body: StartPartnership) {
  const of = (partyId: string, roles: PartyRole[]) => roles.map((role) => body.parties.find((p) => p.id === partyId)!.contacts[role].email);
  const coordinator = body.coordinator.email;
  const partyIds = body.parties.map((p) => p.id);
  return {
    coordinator,
    partyIds,
    of,
    championsAndCoordinator: [coordinator, ...partyIds.flatMap((id) => of(id, ['champion']))],
    clerksAndChampions: partyIds.flatMap((id) => of(id, ['clerk', 'champion'])),
    signatories: partyIds.flatMap((id) => of(id, ['signatory'])),
    everyone: [coordinator, ...partyIds.flatMap((id) => of(id, ['champion', 'clerk', 'signatory']))],
  };
}

/** One `event → address` entry per email expected. */
export const mails = (event: string, addresses: string[]): string[] => addresses.map((address) => `${event} → ${address}`);

export const entryOf = (m: ReceivedMail): string => `${m.event} → ${m.to.join(',')}`;

/** The emails of a two-party `cipp-shared-services` process driven from intake to in force (as test/e2e/lifecycle-over-http.test.ts checks step by step). */
export function cippToInForceMails(body: StartPartnership): string[] {
  const to = recipientsOf(body);
  const recorded = to.partyIds.flatMap((id) => mails('resolution-recorded', [to.coordinator, ...to.of(id, ['champion'])]));
  return [
    ...mails('intake-accepted', to.championsAndCoordinator),
    ...mails('resolution-requested', to.clerksAndChampions),
    ...recorded,
    ...mails('commitment-complete', to.championsAndCoordinator),
    ...mails('groundwork-complete', to.championsAndCoordinator),
    ...mails('draft-open-for-feedback', to.everyone),
    ...to.partyIds.flatMap(() => mails('feedback-received', [to.coordinator])),
    ...mails('consultation-closed', to.championsAndCoordinator),
    ...mails('resolution-requested', to.clerksAndChampions),
    ...recorded,
    ...mails('signature-requested', to.signatories),
    ...mails('signed', to.everyone),
  ];
}

/** How many times each entry occurs. */
export function tally(entries: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e, (counts.get(e) ?? 0) + 1);
  return counts;
}

/**
 * What arrived for one partnership, compared with what should have: `missing` and `unexpected`
 * count distinct Message-IDs per `event → address` (an email the process sent twice under two
 * keys is unexpected); `duplicates` are the copies of one Message-ID beyond the first (a resend
 * after a crash between the SMTP conversation and the outbox row's update).
 */
export function compareMail(received: ReceivedMail[], expected: string[]) {
  const byId = new Map<string, ReceivedMail[]>();
  for (const m of received) byId.set(m.messageId, [...(byId.get(m.messageId) ?? []), m]);
  const distinct = [...byId.values()].map((copies) => entryOf(copies[0]!));
  const want = tally(expected);
  const got = tally(distinct);
  const missing: string[] = [];
  const unexpected: string[] = [];
  for (const key of new Set([...want.keys(), ...got.keys()])) {
    const diff = (want.get(key) ?? 0) - (got.get(key) ?? 0);
    for (let i = 0; i < Math.abs(diff); i++) (diff > 0 ? missing : unexpected).push(key);
  }
  const duplicates = [...byId.entries()]
    .filter(([, copies]) => copies.length > 1)
    .map(([messageId, copies]) => ({ messageId, entry: entryOf(copies[0]!), copies: copies.length }));
  return { missing, unexpected, duplicates, distinct: byId.size };
}
