/**
 * The panel's view state (zustand, STYLE.md 5: view state, not truth): which
 * record is open, what the backend last said about it, drafts and pending
 * actions. Truth stays in the backend; every action goes through the
 * background (lib/extension/send.ts).
 *
 * EXT-DET-1: every answer is checked against the record open *now*; one that
 * arrives after the agent moved to another record is dropped.
 * EXT-OFF-1: transient failures are retried with exponential backoff; a note
 * being typed stays in `drafts` until the backend accepted it, and is kept in
 * the extension's storage per record (PanelDeps.drafts), so a page reload or
 * a closed tab does not lose it either.
 * EXT-LIST-1: times are shown in the agent's Aircall time zone (`/v1/me`),
 * or in the browser's when Aircall has none, and the panel says which.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { type RecordRef, recordKey } from '../lib/crm/record-page.ts';
import {
  type Failure,
  isTransient,
  type MessageName,
  type Req,
  type Res,
  type Result,
} from '../lib/extension/messages.ts';
import { type Activity, summaryOf } from './view.ts';

export type Load<T> =
  | { state: 'loading' }
  | { state: 'ready'; data: T }
  /** `data`: what was last shown for this record, kept on screen (with the notes being typed) while it fails. */
  | { state: 'failed'; failure: Failure; retryAt: number | null; data?: T };

export interface PanelDeps {
  send<N extends MessageName>(type: N, payload: Req<N>): Promise<Result<Res<N>>>;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
  /** Milliseconds on the page's clock (performance.now()). */
  now(): number;
  saveCollapsed(collapsed: boolean): void;
  /** The notes being typed on one record (by call id), kept outside the page (EXT-OFF-1). */
  drafts: {
    load(recordKey: string): Promise<Record<string, string>>;
    /** `text` null or empty: the draft is gone (sent, or erased). */
    save(recordKey: string, callId: string, text: string | null): void;
  };
  /** The browser's IANA time zone: the fallback when the agent's is unknown. */
  browserTimeZone(): string;
}

/** The zone the panel's times are shown in, and whose it is. */
export interface ShownZone {
  timeZone: string;
  /** true: the agent's Aircall time zone; false: the browser's (Aircall has none, or not known yet). */
  agent: boolean;
}

export interface PanelState {
  record: RecordRef | null;
  key: string | null;
  pageUrl: string;
  collapsed: boolean;
  activity: Load<Activity[]>;
  inbox: Load<Activity[]>;
  tags: { id: number; name: string }[];
  outcomes: { id: string; label: string }[];
  fixes: Res<'phoneFix'> | null;
  /** callId -> the note being typed on the open record (EXT-NOTE-1, EXT-OFF-1). */
  drafts: Record<string, string>;
  zone: ShownZone;
  /** Whether `/v1/me` answered (the zone is then the agent's, or the browser's on purpose). */
  zoneKnown: boolean;
  /** action key ("note:123", "tag:123:31", "link:123"...) -> what is happening, or what went wrong. */
  pending: Record<string, Pending>;
  /** Polite announcements for screen readers and everyone. */
  notice: string;
  /** When the open record was detected (page clock), and when its list was first on screen. */
  openedAt: number;
  listShownAt: number | null;
  attempts: number;

  open(record: RecordRef, pageUrl: string): void;
  close(): void;
  refresh(): Promise<void>;
  setCollapsed(collapsed: boolean): void;
  setDraft(callId: string, text: string): void;
  sendNote(callId: string): Promise<void>;
  setTag(callId: string, tagId: number, on: boolean): Promise<void>;
  setOutcome(callId: string, outcomeId: string): Promise<void>;
  link(callId: string, addNumber?: boolean): Promise<void>;
  applyFix(): Promise<void>;
  listShown(key: string): void;
}

export interface Pending {
  busy: boolean;
  message: string;
  /**
   * An action interrupted before the backend answered (the browser stopped the
   * service worker): a note's text (when the list shows it on the call, it was
   * sent, and its draft goes), or 'link' / 'fix' (when the list shows the call
   * on the record, or the record has nothing left to rewrite, it was done).
   * Never sent again on its own.
   */
  unconfirmed?: string;
}

export type PanelStore = StoreApi<PanelState>;

const MAX_BACKOFF_MS = 30_000;
/** After a note, tag, outcome or link, the change comes back through Aircall's webhook and the worker. */
const FOLLOW_UP_MS = [800, 2_000, 4_000, 8_000, 15_000];

export function createPanelStore(deps: PanelDeps, initial: { collapsed: boolean }): PanelStore {
  let retryTimer: number | null = null;
  let followUps: number[] = [];

  const clearTimers = () => {
    if (retryTimer !== null) deps.clearTimeout(retryTimer);
    retryTimer = null;
    for (const t of followUps) deps.clearTimeout(t);
    followUps = [];
  };

  return createStore<PanelState>()((set, get) => {
    const current = (key: string | null) => key !== null && get().key === key;

    const setPending = (k: string, v: Pending | null) =>
      set((s) => {
        const pending = { ...s.pending };
        if (v) pending[k] = v;
        else delete pending[k];
        return { pending };
      });

    /** Refresh a few times while the change travels Aircall -> backend -> CRM. */
    const followUp = () => {
      for (const t of followUps) deps.clearTimeout(t);
      followUps = FOLLOW_UP_MS.map((ms) => deps.setTimeout(() => void get().refresh(), ms));
    };

    /** Interrupted notes the list now shows were sent: their drafts go (never sent twice). */
    const confirmNotes = (list: Activity[]) => {
      const { key, pending } = get();
      for (const [k, p] of Object.entries(pending)) {
        if (!p.unconfirmed || !k.startsWith('note:')) continue;
        const callId = k.slice('note:'.length);
        const call = list.find((a) => a.kind === 'call' && a.id === callId);
        if (!call || !summaryOf(call).notes.some((n) => n.content.trim() === p.unconfirmed)) continue;
        if (key && get().drafts[callId]?.trim() === p.unconfirmed) deps.drafts.save(key, callId, null);
        set((s) => {
          const drafts = { ...s.drafts };
          if (drafts[callId]?.trim() === p.unconfirmed) delete drafts[callId];
          return { drafts, notice: 'The note had reached Aircall before the extension was stopped.' };
        });
        setPending(k, null);
      }
    };

    /** Interrupted links the list now shows on the record were done (issue 8: no action lost or done twice). */
    const confirmLinks = (list: Activity[]) => {
      for (const [k, p] of Object.entries(get().pending)) {
        if (p.unconfirmed !== 'link' || !k.startsWith('link:')) continue;
        const callId = k.slice('link:'.length);
        if (!list.some((a) => a.kind === 'call' && a.id === callId)) continue;
        setPending(k, null);
        set({
          notice: `Call ${callId} was linked before the extension was stopped: it is logged on this record.`,
        });
      }
    };

    /** An interrupted phone fix: asks again what is left to rewrite; nothing left means it was done. */
    const confirmFix = async (key: string, record: RecordRef) => {
      if (get().pending.fix?.unconfirmed !== 'fix') return;
      const again = await deps.send('phoneFix', { record, apply: false });
      if (!again.ok || !current(key)) return;
      if (again.data.fixes.length > 0) return;
      setPending('fix', null);
      set({
        fixes: null,
        notice: 'The phone numbers were rewritten to E.164 before the extension was stopped.',
      });
    };

    const loadOnce = async (key: string, record: RecordRef) => {
      if (get().tags.length === 0) {
        const tags = await deps.send('listTags', {});
        if (tags.ok && current(key)) set({ tags: tags.data.tags });
      }
      if (record.crm === 'hubspot' && get().outcomes.length === 0) {
        const outcomes = await deps.send('listOutcomes', {});
        if (outcomes.ok && current(key)) set({ outcomes: outcomes.data.outcomes });
      }
      // EXT-FIX-1: a preview only; nothing is rewritten without the agent's confirmation.
      const fixes = await deps.send('phoneFix', { record, apply: false });
      if (fixes.ok && current(key)) set({ fixes: fixes.data });
    };

    return {
      record: null,
      key: null,
      zone: { timeZone: deps.browserTimeZone(), agent: false },
      zoneKnown: false,
      pageUrl: '',
      collapsed: initial.collapsed,
      activity: { state: 'loading' },
      inbox: { state: 'loading' },
      tags: [],
      outcomes: [],
      fixes: null,
      drafts: {},
      pending: {},
      notice: '',
      openedAt: 0,
      listShownAt: null,
      attempts: 0,

      open(record, pageUrl) {
        const key = recordKey(record);
        if (key === get().key) {
          set({ pageUrl });
          return;
        }
        clearTimers();
        set({
          record,
          key,
          pageUrl,
          activity: { state: 'loading' },
          drafts: {},
          fixes: null,
          pending: {},
          notice: '',
          openedAt: deps.now(),
          listShownAt: null,
          attempts: 0,
        });
        void get().refresh();
        void loadOnce(key, record);
        // Notes typed on this record before a reload come back; what was typed since wins.
        void deps.drafts.load(key).then((saved) => {
          if (current(key)) set((s) => ({ drafts: { ...saved, ...s.drafts } }));
        });
      },

      close() {
        clearTimers();
        set({ record: null, key: null, activity: { state: 'loading' }, fixes: null });
      },

      async refresh() {
        const { record, key } = get();
        if (!record || !key) return;
        if (retryTimer !== null) deps.clearTimeout(retryTimer);
        retryTimer = null;
        const [activity, inbox, me] = await Promise.all([
          deps.send('recordActivity', record),
          deps.send('inbox', {}),
          // Once: the list waits for the zone its times are shown in (EXT-LIST-1).
          get().zoneKnown ? null : deps.send('me', {}),
        ]);
        if (me?.ok) {
          set({
            zoneKnown: true,
            zone: me.data.timeZone
              ? { timeZone: me.data.timeZone, agent: true }
              : { timeZone: deps.browserTimeZone(), agent: false },
          });
        }
        // EXT-DET-1: an answer for a record that is no longer open is dropped.
        if (!current(key)) return;
        if (inbox.ok) set({ inbox: { state: 'ready', data: inbox.data.activity } });
        if (activity.ok) {
          set({ activity: { state: 'ready', data: activity.data.activity }, attempts: 0 });
          confirmNotes(activity.data.activity);
          confirmLinks(activity.data.activity);
          await confirmFix(key, record);
          return;
        }
        const failure = activity.failure;
        const before = get().activity;
        const last =
          before.state === 'ready' ? before.data : before.state === 'failed' ? before.data : undefined;
        const kept = last ? { data: last } : {};
        if (!inbox.ok) set({ inbox: { state: 'failed', failure: inbox.failure, retryAt: null } });
        if (!isTransient(failure)) {
          set({ activity: { state: 'failed', failure, retryAt: null, ...kept } });
          return;
        }
        // EXT-OFF-1: 1 s, 2 s, 4 s ... up to 30 s between attempts.
        const attempts = get().attempts + 1;
        const wait = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (attempts - 1));
        set({ attempts, activity: { state: 'failed', failure, retryAt: Date.now() + wait, ...kept } });
        retryTimer = deps.setTimeout(() => void get().refresh(), wait);
      },

      setCollapsed(collapsed) {
        set({ collapsed });
        deps.saveCollapsed(collapsed);
      },

      setDraft(callId, text) {
        set((s) => ({ drafts: { ...s.drafts, [callId]: text } }));
        const { key } = get();
        if (key) deps.drafts.save(key, callId, text);
      },

      async sendNote(callId) {
        const content = (get().drafts[callId] ?? '').trim();
        const k = `note:${callId}`;
        if (!content) {
          setPending(k, { busy: false, message: 'The note is empty: type it first.' });
          return;
        }
        setPending(k, { busy: true, message: 'Sending the note to Aircall…' });
        const r = await deps.send('addNote', { callId: Number(callId), content });
        if (!r.ok && r.failure.kind === 'interrupted') {
          // It may have reached Aircall: the list says so in a moment (confirmNotes); not sent again.
          setPending(k, {
            busy: false,
            message:
              'Not confirmed: the browser stopped the extension before the backend answered. If the note reached Aircall it shows here in a moment; otherwise send it again.',
            unconfirmed: content,
          });
          followUp();
          return;
        }
        if (!r.ok) {
          // The draft stays as typed (EXT-OFF-1); the panel says what is wrong and retries.
          setPending(k, {
            busy: false,
            message: `Not sent: ${r.failure.message} ${r.failure.fix ?? ''}`.trim(),
          });
          if (isTransient(r.failure)) void get().refresh();
          return;
        }
        const { key } = get();
        if (key && get().drafts[callId]?.trim() === content) deps.drafts.save(key, callId, null);
        set((s) => {
          const drafts = { ...s.drafts };
          if (drafts[callId]?.trim() === content) delete drafts[callId];
          return { drafts, notice: 'Note sent to Aircall; the CRM activity follows.' };
        });
        setPending(k, null);
        followUp();
      },

      async setTag(callId, tagId, on) {
        const k = `tag:${callId}`;
        setPending(k, { busy: true, message: on ? 'Adding the tag…' : 'Removing the tag…' });
        const r = await deps.send(on ? 'addTag' : 'removeTag', { callId: Number(callId), tagId });
        if (!r.ok) {
          setPending(k, { busy: false, message: `Not changed: ${r.failure.message}` });
          // Interrupted: it may be done; the list shows what Aircall holds in a moment.
          if (r.failure.kind === 'interrupted') followUp();
          return;
        }
        setPending(k, null);
        set({ notice: on ? 'Tag added in Aircall.' : 'Tag removed in Aircall.' });
        followUp();
      },

      async setOutcome(callId, outcomeId) {
        const k = `outcome:${callId}`;
        setPending(k, { busy: true, message: 'Setting the outcome…' });
        const r = await deps.send('setOutcome', { callId: Number(callId), outcomeId });
        if (!r.ok) {
          setPending(k, {
            busy: false,
            message: `Not set: ${r.failure.message} ${r.failure.fix ?? ''}`.trim(),
          });
          return;
        }
        const label = get().outcomes.find((o) => o.id === outcomeId)?.label ?? outcomeId;
        setPending(k, { busy: false, message: `Outcome set to "${label}".` });
        followUp();
      },

      async link(callId, addNumber = false) {
        const { record } = get();
        if (!record) return;
        const k = `link:${callId}`;
        setPending(k, { busy: true, message: addNumber ? 'Adding the number and linking…' : 'Linking…' });
        const r = await deps.send('linkCall', { callId: Number(callId), record, addNumber });
        if (!r.ok && r.failure.kind === 'interrupted') {
          // It may be linked: the list says so in a moment (confirmLinks); linking again does nothing twice.
          setPending(k, {
            busy: false,
            message: `Not confirmed: ${r.failure.message} If the call was linked it shows on this record in a moment.`,
            unconfirmed: 'link',
          });
          followUp();
          return;
        }
        if (!r.ok) {
          setPending(k, {
            busy: false,
            message: `Not linked: ${r.failure.message} ${r.failure.fix ?? ''}`.trim(),
          });
          return;
        }
        setPending(k, null);
        const n = r.data.number;
        set({
          notice: !n
            ? 'Call linked: it is being logged on this record.'
            : n.added
              ? `Call linked: it is being logged on this record, and ${n.value} was added to its ${n.field} field.`
              : `Call linked: it is being logged on this record, which already had ${n.value} (${n.field}).`,
        });
        followUp();
      },

      async applyFix() {
        const { record, key } = get();
        if (!record) return;
        setPending('fix', { busy: true, message: 'Rewriting the phone numbers…' });
        const r = await deps.send('phoneFix', { record, apply: true });
        if (!current(key)) return;
        if (!r.ok && r.failure.kind === 'interrupted') {
          // It may be done: the next refresh asks what is left to rewrite (confirmFix).
          setPending('fix', {
            busy: false,
            message: `Not confirmed: ${r.failure.message} Checking the record again…`,
            unconfirmed: 'fix',
          });
          followUp();
          return;
        }
        if (!r.ok) {
          setPending('fix', { busy: false, message: `Not rewritten: ${r.failure.message}` });
          return;
        }
        setPending('fix', null);
        set({ fixes: null, notice: `Rewrote ${r.data.fixes.length} phone number(s) to E.164.` });
      },

      listShown(key) {
        if (!current(key) || get().listShownAt !== null) return;
        set({ listShownAt: deps.now() });
      },
    };
  });
}
