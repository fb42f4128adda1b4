/**
 * What the background does for each message of the protocol: one agent API
 * call each. Stateless (MV3 may stop the worker at any moment): the settings
 * are read from storage for every message.
 */
import { callBackend } from './backend.ts';
import type { MessageName, Req, Res, Result } from './messages.ts';
import { type BackendSettings, normalizeBackendUrl } from './settings.ts';

type Handlers = {
  [N in MessageName]: (s: BackendSettings | null, req: Req<N>) => Promise<Result<Res<N>>>;
};

const recordParams = (r: { crm: string; objectType: string; recordId: string }) => ({
  crm: r.crm,
  objectType: r.objectType,
  recordId: r.recordId,
});

export const HANDLERS: Handlers = {
  checkBackend: (_s, req) =>
    callBackend({ backendUrl: normalizeBackendUrl(req.backendUrl), token: req.token.trim() }, 'me'),
  me: (s) => callBackend(s, 'me'),
  recordActivity: (s, req) => callBackend(s, 'recordActivity', { params: recordParams(req) }),
  getCall: (s, req) => callBackend(s, 'getCall', { params: { callId: req.callId } }),
  inbox: (s) => callBackend(s, 'inbox'),
  linkCall: (s, req) =>
    callBackend(s, 'linkCall', {
      params: { callId: req.callId },
      body: { ...recordParams(req.record), addNumber: req.addNumber ?? false },
    }),
  addNote: (s, req) =>
    callBackend(s, 'addNote', { params: { callId: req.callId }, body: { content: req.content } }),
  listTags: (s) => callBackend(s, 'listTags'),
  addTag: (s, req) =>
    callBackend(s, 'addTag', { params: { callId: req.callId }, body: { tagId: req.tagId } }),
  removeTag: (s, req) => callBackend(s, 'removeTag', { params: { callId: req.callId, tagId: req.tagId } }),
  listOutcomes: (s) => callBackend(s, 'listOutcomes'),
  setOutcome: (s, req) =>
    callBackend(s, 'setOutcome', { params: { callId: req.callId }, body: { outcomeId: req.outcomeId } }),
  phoneFix: (s, req) =>
    callBackend(s, 'phoneFix', { params: recordParams(req.record), body: { apply: req.apply } }),
};
