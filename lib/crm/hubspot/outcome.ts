/**
 * The outcome of a HubSpot call (SPEC section 4, HS-OUT-1..4): the row of the
 * outcome settings a call falls in, how an outbound call was read (HS-OUT-2),
 * and the outcome id: the agent's pick (HS-OUT-4), the outcome already logged
 * or a mapped tag (HS-OUT-3), else the per-type setting (HS-OUT-1).
 */
import type { CallState } from '../../aircall/callState.ts';
import type { CallClassification } from '../../logging/classify.ts';
import type { PlannerContext } from '../../logging/plan-types.ts';
import type { TraceBuilder } from '../../logging/trace.ts';
import type { HubspotFacts } from './facts.ts';
import { defaultOutcomeLabel, HUBSPOT_DEFAULT_OUTCOME_IDS } from './mapper.ts';
import { HUBSPOT_OUTCOME_KIND_LABELS, type HubspotOutcomeKind, type HubspotSettings } from './settings.ts';

/** HS-OUT-1's row for a call: the call type, with busy and wrong-number outbound calls apart (HS-OUT-2). */
export function outcomeKindOf(kind: CallClassification): HubspotOutcomeKind {
  if (kind.type === 'outbound_unanswered') {
    if (kind.outboundFailure === 'busy') return 'outbound_busy';
    if (kind.outboundFailure === 'wrong_number') return 'outbound_wrong_number';
  }
  return kind.type;
}

/** The call's tag ids, sorted: what an outcome read from tags depends on (HS-OUT-3). */
export function tagIdsOf(call: CallState): number[] {
  return call.tags.map((t) => t.id).sort((a, b) => a - b);
}

/**
 * The call's outcome id, or null for "None". Order: the agent's pick (HS-OUT-4),
 * the outcome already logged unless the call's tags changed since (HS-OUT-3: a
 * mapping change does not alter calls already logged; the tags the outcome was
 * read from are the activity write's `basis`), a single mapped tag (HS-OUT-3),
 * the per-type setting (HS-OUT-1).
 */
export function outcomeFor(
  call: CallState,
  kind: CallClassification,
  settings: HubspotSettings,
  facts: HubspotFacts,
  ctx: PlannerContext,
  trace: TraceBuilder,
): string | null {
  const outcomeKind = outcomeKindOf(kind);
  explainClassification(call, kind, trace);
  const known = facts.outcomes;
  const inPortal = (id: string) => !known || known.some((o) => o.id === id);
  const labelOf = (id: string) => known?.find((o) => o.id === id)?.label ?? defaultOutcomeLabel(id) ?? id;

  const picked = facts.agentOutcomeId;
  if (picked) {
    if (inPortal(picked)) {
      trace.applied(
        'HS-OUT-4',
        `An agent picked the outcome "${labelOf(picked)}" for this call in the panel; it wins over the settings${ctx.existing.activity ? ' and is applied to the call already logged' : ''}.`,
      );
      return picked;
    }
    trace.skipped(
      'HS-OUT-4',
      `The outcome ${picked} an agent picked is not one of the portal's outcomes any more; it is ignored.`,
    );
  }

  const logged = ctx.existing.activity;
  if (logged?.fields) {
    const before = logged.basis?.tagIds;
    const tagsChanged = Array.isArray(before) && before.join(',') !== tagIdsOf(call).join(',');
    if (!tagsChanged) {
      const value = logged.fields.hs_call_disposition;
      const id = typeof value === 'string' && value !== '' ? value : null;
      trace.applied(
        'HS-OUT-3',
        `The call was logged with the outcome "${id ? labelOf(id) : 'None'}"; it stays: later changes of the tag mapping or of the outcome settings do not alter calls already logged.`,
      );
      return id;
    }
    // Agents often tag a call after it ended, once it is logged: a tag change
    // is new information about this call, unlike a change of the mapping.
    trace.applied(
      'HS-OUT-3',
      "The call's tags changed since it was logged, so its outcome is read again from its tags.",
    );
  }

  const mapped = call.tags.flatMap((tag) => {
    const mapping = settings.tagOutcomes.find((m) => m.tagId === tag.id);
    return mapping ? [{ tag: tag.name, outcomeId: mapping.outcomeId }] : [];
  });
  const usable = mapped.filter((m) => inPortal(m.outcomeId));
  for (const m of mapped.filter((x) => !inPortal(x.outcomeId))) {
    trace.skipped(
      'HS-OUT-3',
      `Tag "${m.tag}" is mapped to outcome ${m.outcomeId}, which the portal no longer has; the mapping is ignored.`,
    );
  }
  const [only, ...more] = usable;
  if (only && more.length === 0) {
    trace.applied('HS-OUT-3', `Tag "${only.tag}" is mapped to the outcome "${labelOf(only.outcomeId)}".`);
    return only.outcomeId;
  }
  if (only) {
    trace.applied(
      'HS-OUT-3',
      `Several tags of the call are mapped to outcomes (${usable.map((m) => `"${m.tag}"`).join(', ')}); a call has one outcome, so the setting for ${HUBSPOT_OUTCOME_KIND_LABELS[outcomeKind]} applies.`,
    );
  } else if (settings.tagOutcomes.length > 0) {
    trace.skipped('HS-OUT-3', 'No tag of the call is mapped to an outcome.');
  }

  const label = settings.outcomes[outcomeKind];
  if (label === 'None') {
    trace.applied(
      'HS-OUT-1',
      `Outcome for ${HUBSPOT_OUTCOME_KIND_LABELS[outcomeKind]}: "None", so no outcome is set.`,
    );
    return null;
  }
  const id = outcomeIdForLabel(label, known);
  trace.applied('HS-OUT-1', `Outcome for ${HUBSPOT_OUTCOME_KIND_LABELS[outcomeKind]}: "${label}" (${id}).`);
  return id;
}

/**
 * A default outcome's id: HubSpot's GUID, which every portal has; if the
 * portal's list lacks it but has an outcome of that label, that one.
 */
function outcomeIdForLabel(
  label: keyof typeof HUBSPOT_DEFAULT_OUTCOME_IDS,
  known: HubspotFacts['outcomes'],
): string {
  const guid = HUBSPOT_DEFAULT_OUTCOME_IDS[label];
  if (!known || known.some((o) => o.id === guid)) return guid;
  return known.find((o) => o.label.trim().toLowerCase() === label.toLowerCase())?.id ?? guid;
}

/** HS-OUT-2: how an outbound call was read (answered / unanswered / busy / wrong number). */
function explainClassification(call: CallState, kind: CallClassification, trace: TraceBuilder): void {
  if (call.direction !== 'outbound') return;
  const cause = call.hangupCause ? `hangup_cause "${call.hangupCause}"` : 'no hangup_cause';
  if (kind.type === 'outbound_answered') {
    trace.applied(
      'HS-OUT-2',
      'Outbound call answered (Aircall set answered_at): reaching the contact, an automated message or a voicemail counts as answered.',
    );
  } else if (kind.outboundFailure === 'busy') {
    trace.applied(
      'HS-OUT-2',
      `Outbound call not answered; ${cause} means the contact was already on a call (busy).`,
    );
  } else if (kind.outboundFailure === 'wrong_number') {
    trace.applied(
      'HS-OUT-2',
      `Outbound call not answered; ${cause} means the number is invalid or does not exist.`,
    );
  } else {
    trace.applied(
      'HS-OUT-2',
      `Outbound call not answered, with ${cause}, which means neither busy nor wrong number: unanswered.`,
    );
  }
}
