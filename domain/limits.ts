/**
 * Where a person could otherwise append to the state for ever: either a limit that refuses the
 * command (422, naming the limit), or a tail the state keeps while the register keeps everything.
 * The timeline and the reminder tracks are bounded by the workflow core. See README, "Bounded
 * state".
 */
export const LIMITS = {
  /** Feedback entries one party may send per consultation round (its champion and the coordinator together). */
  feedbackPerPartyPerRound: 5,
  /** Community feedback entries (sent by the coordinator) per consultation round. */
  communityFeedbackPerRound: 50,
  /** Consultation rounds whose feedback the state keeps. */
  feedbackRoundsKept: 2,
  /** Draft versions the state keeps (the latest ones; every version is in the register). */
  draftsKept: 10,
  /** Draft versions whose approval resolutions and signatures the state keeps. */
  roundsKept: 2,
  /** Performance reviews the state keeps. */
  reviewsKept: 10,
  /** Notices given and withdrawn that the state keeps. */
  pastNoticesKept: 5,
  /** Request ids the state remembers; older repeats are recognised by the API in the register. */
  appliedKept: 100,
  /** Timeline entries a command's answer carries, the latest; GET /partnerships/:id has them all. */
  answerTimelineKept: 20,
} as const;

/** The last `n` items, in place. */
export function keepLast<T>(list: T[], n: number): void {
  if (list.length > n) list.splice(0, list.length - n);
}

/** Keeps, in place, the items of the last `n` distinct rounds (versions), and every item of no round. */
export function keepLastRounds<T>(list: T[], roundOf: (item: T) => number | undefined, n: number): void {
  const rounds = [...new Set(list.map(roundOf).filter((r): r is number => r !== undefined))].sort((a, b) => a - b);
  if (rounds.length <= n) return;
  const kept = new Set(rounds.slice(-n));
  const filtered = list.filter((item) => {
    const round = roundOf(item);
    return round === undefined || kept.has(round);
  });
  list.splice(0, list.length, ...filtered);
}
