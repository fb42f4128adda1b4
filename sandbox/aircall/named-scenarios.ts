/**
 * The named scenarios of `POST /_sandbox/scenarios/play {company, scenario}`:
 * one per call type of SPEC.md section 2, plus a transfer and a conference,
 * played with the seeded company's own first number and users, so that the
 * numbers, users and calls the backend reads back through the API agree with
 * the webhooks it got. Built on the script builders of lib/aircall/scenarios.ts.
 */
import {
  type CallScript,
  callWebhooks,
  conferenceScript,
  inboundAnsweredScript,
  type MessageScript,
  missedVoicemailScript,
  outboundAnsweredScript,
  outboundUnansweredScript,
  type ScenarioNumber,
  type ScenarioUser,
  smsInboundScript,
  smsOutboundScript,
  transferScript,
} from '../../lib/aircall/scenarios.ts';

export const SCENARIO_NAMES = [
  'inbound-answered',
  'missed-voicemail',
  'outbound-answered',
  'outbound-unanswered',
  'transfer',
  'conference',
  'sms-inbound',
  'sms-outbound',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface ScenarioInputs {
  number: ScenarioNumber;
  users: ScenarioUser[];
  /** The other party; each scenario has a French mobile by default. */
  external?: string;
  callId: number;
  messageId: string;
  /** UNIX ms: the call or message happened just before this. */
  nowMs: number;
}

export type BuiltScenario = { kind: 'call'; script: CallScript } | { kind: 'message'; script: MessageScript };

interface ScenarioDef {
  description: string;
  /** How many seeded users the scenario needs (agent, transfer target). */
  users: number;
  build(inputs: ScenarioInputs, users: ScenarioUser[]): BuiltScenario;
}

/**
 * The start time that puts the script's last event (call.ended comes ~30 s
 * after the hang-up, API-CONTRACTS 1.3) a few seconds before `nowMs`, so
 * that no webhook is dated in the future.
 */
export function startSoItEndsBy(script: CallScript, nowMs: number): number {
  const last = Math.max(...callWebhooks(script).map((e) => e.timestamp));
  return Math.floor(nowMs / 1000) - 5 - (last - script.startedAt);
}

function callOverrides(i: ScenarioInputs): Partial<CallScript> {
  return {
    callId: i.callId,
    number: i.number,
    ...(i.external === undefined ? {} : { external: i.external }),
  };
}

function endingBy(script: CallScript, nowMs: number): CallScript {
  return { ...script, startedAt: startSoItEndsBy(script, nowMs) };
}

function messageOverrides(i: ScenarioInputs): Partial<MessageScript> {
  return {
    messageId: i.messageId,
    number: i.number,
    at: i.nowMs - 5_000,
    ...(i.external === undefined ? {} : { external: i.external }),
  };
}

const call = (script: CallScript): BuiltScenario => ({ kind: 'call', script });

const message = (script: MessageScript): BuiltScenario => ({ kind: 'message', script });

export const SCENARIOS: Record<ScenarioName, ScenarioDef> = {
  'inbound-answered': {
    description: 'An inbound call answered by the first user after 12 s, 95 s of talk, with a recording.',
    users: 1,
    build: (i, [agent]) => call(inboundAnsweredScript({ ...callOverrides(i), user: agent })),
  },
  'missed-voicemail': {
    description: 'An inbound call that rang on the first user for 25 s; the caller left a voicemail.',
    users: 1,
    build: (i, [agent]) => call(missedVoicemailScript({ ...callOverrides(i), user: agent })),
  },
  'outbound-answered': {
    description: 'The first user calls out; answered after 8 s, 140 s of talk.',
    users: 1,
    build: (i, [agent]) => call(outboundAnsweredScript({ ...callOverrides(i), user: agent })),
  },
  'outbound-unanswered': {
    description: 'The first user calls out; nobody answers within 30 s.',
    users: 1,
    build: (i, [agent]) => call(outboundUnansweredScript({ ...callOverrides(i), user: agent })),
  },
  transfer: {
    description: 'An inbound call answered by the first user and transferred to the second, who picks up.',
    users: 2,
    build: (i, [agent, target]) =>
      call(
        transferScript({
          ...callOverrides(i),
          user: agent,
          ...(target ? { transferTo: { user: target, after: 30, answers: true } } : {}),
        }),
      ),
  },
  conference: {
    description: 'The first user calls out and adds a second external party (+33 6 55 44 33 22).',
    users: 1,
    build: (i, [agent]) => call(conferenceScript({ ...callOverrides(i), user: agent })),
  },
  'sms-inbound': {
    description: 'An SMS from the external number to the first number.',
    users: 0,
    build: (i) => message(smsInboundScript(messageOverrides(i))),
  },
  'sms-outbound': {
    description: 'The first user sends an SMS from the first number to the external number.',
    users: 1,
    build: (i, [agent]) => message(smsOutboundScript({ ...messageOverrides(i), user: agent })),
  },
};

/** The scenario's script, or why it cannot be played with these inputs. */
export function buildScenario(name: ScenarioName, inputs: ScenarioInputs): BuiltScenario | { error: string } {
  const def = SCENARIOS[name];
  if (inputs.users.length < def.users) {
    return {
      error: `scenario "${name}" needs ${def.users} seeded user(s), the company has ${inputs.users.length}`,
    };
  }
  const built = def.build(inputs, inputs.users);
  return built.kind === 'call' ? { kind: 'call', script: endingBy(built.script, inputs.nowMs) } : built;
}
