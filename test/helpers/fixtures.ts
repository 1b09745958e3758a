import type { StartPartnership } from '../../domain';

export const contact = <T extends object = object>(name: string, email: string, extra?: T) => ({ name, email, ...(extra as T) });

/** Two parties, as in DESIGN.md's example: a town and a First Nation that reads French. */
export function startRequest(overrides: Partial<StartPartnership> = {}): StartPartnership {
  return {
    template: 'cipp-shared-services',
    title: 'Water services: Town of Riverside and Maple First Nation',
    purpose: 'A joint agreement for drinking-water services',
    coordinator: { name: 'A. Tremblay', email: 'coordination@example.org', language: 'fr' },
    parties: [
      {
        id: 'riverside',
        legalName: 'Town of Riverside',
        kind: 'municipality',
        governingBody: 'Municipal council',
        language: 'en',
        contacts: {
          champion: contact('Rita Champion', 'champion@riverside.example'),
          clerk: contact('Carl Clerk', 'clerk@riverside.example'),
          signatory: contact('Mona Mayor', 'mayor@riverside.example', { title: 'Mayor' }),
        },
      },
      {
        id: 'maple',
        legalName: 'Maple First Nation',
        kind: 'first-nation',
        governingBody: 'Band council',
        language: 'fr',
        contacts: {
          champion: contact('Lise Championne', 'championne@maple.example'),
          clerk: contact('Gilles Greffier', 'greffe@maple.example'),
          signatory: contact('Chef Claude', 'chef@maple.example', { title: 'Chef' }),
        },
      },
    ],
    ...overrides,
  };
}

/** A third party, a service centre, for the rules that depend on how many parties remain. */
export function withOak(overrides: Partial<StartPartnership> = {}): StartPartnership {
  const base = startRequest(overrides);
  return {
    ...base,
    parties: [
      ...base.parties,
      {
        id: 'oak',
        legalName: 'Oak Valley Regional Service Centre',
        kind: 'service-centre',
        governingBody: 'Board of directors',
        language: 'en',
        contacts: {
          champion: contact('Owen Champion', 'champion@oak.example'),
          clerk: contact('Olga Clerk', 'clerk@oak.example'),
          signatory: contact('Oscar Chair', 'chair@oak.example', { title: 'Chair' }),
        },
      },
    ],
  };
}

let counter = 0;
export const requestId = (label = 'req'): string => `${label}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
