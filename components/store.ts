/**
 * The panel's view state (zustand, STYLE.md 5: view state, not truth): which
 * record is open, what the backend last said about it, drafts and pending
 * actions. Truth stays in the backend; every action goes through the
 * background (lib/extension/send.ts).
 *
 * EXT-DET-1: every answer is checked against the record open *now*; one that
 * arrives after the agent moved to another record is dropped.
 * EXT-OFF-1: transient failures are retried with exponential backoff; a note
 * being typed stays in `drafts` until the backend accepted it.
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
import type { Activity } from './view.ts';

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
  /** callId -> the note being typed (EXT-NOTE-1, EXT-OFF-1). */
  drafts: Record<string, string>;
  /** action key ("note:123", "tag:123:31", "link:123"...) -> what is happening, or what went wrong. */
  pending: Record<string, { busy: boolean; message: string }>;
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
  link(callId: string): Promise<void>;
  applyFix(): Promise<void>;
  listShown(key: string): void;
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

    const setPending = (k: string, v: { busy: boolean; message: string } | null) =>
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
          fixes: null,
          pending: {},
          notice: '',
          openedAt: deps.now(),
          listShownAt: null,
          attempts: 0,
        });
        void get().refresh();
        void loadOnce(key, record);
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
        const [activity, inbox] = await Promise.all([
          deps.send('recordActivity', record),
          deps.send('inbox', {}),
        ]);
        // EXT-DET-1: an answer for a record that is no longer open is dropped.
        if (!current(key)) return;
        if (inbox.ok) set({ inbox: { state: 'ready', data: inbox.data.activity } });
        if (activity.ok) {
          set({ activity: { state: 'ready', data: activity.data.activity }, attempts: 0 });
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
        if (!r.ok) {
          // The draft stays as typed (EXT-OFF-1); the panel says what is wrong and retries.
          setPending(k, {
            busy: false,
            message: `Not sent: ${r.failure.message} ${r.failure.fix ?? ''}`.trim(),
          });
          if (isTransient(r.failure)) void get().refresh();
          return;
        }
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

      async link(callId) {
        const { record } = get();
        if (!record) return;
        const k = `link:${callId}`;
        setPending(k, { busy: true, message: 'Linking…' });
        const r = await deps.send('linkCall', { callId: Number(callId), record });
        if (!r.ok) {
          setPending(k, {
            busy: false,
            message: `Not linked: ${r.failure.message} ${r.failure.fix ?? ''}`.trim(),
          });
          return;
        }
        setPending(k, null);
        set({ notice: 'Call linked: it is being logged on this record.' });
        followUp();
      },

      async applyFix() {
        const { record, key } = get();
        if (!record) return;
        setPending('fix', { busy: true, message: 'Rewriting the phone numbers…' });
        const r = await deps.send('phoneFix', { record, apply: true });
        if (!current(key)) return;
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
