/**
 * What a transfer between Aircall users changes on the Task: who answered
 * the call, who it was transferred to, and whose tags stay (SF-XFER-1).
 */
import type { AircallUserRef, CallState } from '../../aircall/callState.ts';
import type { TraceBuilder } from '../../logging/trace.ts';

export interface TransferOutcome {
  answeredBy: AircallUserRef | null;
  transferredTo: AircallUserRef | null;
  tags: string[];
}

/**
 * SF-XFER-1: on a transfer from A to B, "Answered by" is B when B answered,
 * else A, and when B answered only B's tags stay. B answered when B later
 * transferred the call on, or, for the last transfer, when the call ended
 * with B (`user` of the latest snapshot) without an unsuccessful transfer
 * after it. Tags whose author is unknown are kept. Transfers to external
 * numbers change none of this: Aircall logs that leg as a separate call.
 */
export function transferOutcome(call: CallState, trace: TraceBuilder): TransferOutcome {
  const answered = call.answeredAt !== null;
  const first = answered ? (call.firstAnsweredBy ?? call.user) : null;
  const allTags = call.tags.map((t) => t.name);
  const external = call.transfers.filter((t) => t.kind === 'external');
  if (external.length > 0) {
    trace.applied(
      'SF-XFER-1',
      `The transfer to ${external.map((t) => t.toNumber ?? 'an external number').join(', ')} changes neither Answered by, Transferred to nor the tags; that leg is logged as a separate call.`,
    );
  }
  const toUsers = call.transfers
    .filter((t): t is typeof t & { to: AircallUserRef } => t.kind === 'user' && t.to !== null)
    .sort((a, b) => a.at - b.at);
  const last = toUsers[toUsers.length - 1];
  if (!last) {
    if (external.length === 0) trace.skipped('SF-XFER-1', 'The call was not transferred.');
    return { answeredBy: first, transferredTo: null, tags: allTags };
  }
  let holder: AircallUserRef | null = first ?? toUsers[0]?.by ?? null;
  let byTransfer = false;
  toUsers.forEach((t, i) => {
    const later = toUsers.slice(i + 1);
    const failed = call.transfers.some(
      (u) => u.kind === 'unsuccessful' && u.at >= t.at && (u.to === null || u.to.id === t.to.id),
    );
    const tookIt =
      later.some((l) => l.by?.id === t.to.id) || (later.length === 0 && !failed && call.user?.id === t.to.id);
    if (tookIt) {
      holder = t.to;
      byTransfer = true;
    }
  });
  const answeredBy = answered ? holder : null;
  const receiver: AircallUserRef | null = holder;
  const tags =
    byTransfer && receiver !== null
      ? call.tags
          .filter((t) => t.addedByUserId === null || t.addedByUserId === receiver.id)
          .map((t) => t.name)
      : allTags;
  const dropped = allTags.length - tags.length;
  trace.applied(
    'SF-XFER-1',
    byTransfer && receiver
      ? `The call was transferred to ${last.to.name ?? `user ${last.to.id}`}; ${receiver.name ?? `user ${receiver.id}`} answered it, so Answered by is that user and only their tags are kept${dropped > 0 ? ` (${dropped} earlier tag(s) dropped)` : ''}.`
      : `The call was transferred to ${last.to.name ?? `user ${last.to.id}`}, who did not answer: Answered by stays ${answeredBy?.name ?? 'empty'} and all tags are kept.`,
  );
  return { answeredBy, transferredTo: last.to, tags };
}
