/**
 * Note types (API-CONTRACTS 4.2): each account lists the types its contact
 * notes and candidate notes may have (`GET /contacts/lists/notetype`,
 * `GET /candidates/lists/notetype`); a note's `type` must be one of them.
 */
import { type ApiRouter, one } from './router.ts';
import { type Account, type NoteType, RECORD_KINDS, type RecordKind } from './state.ts';

/**
 * A new account's note types [unverified: JobAdder's defaults are per
 * tenant]: "General" is the default for notes, "Email" for emails, "SMS" for
 * text messages.
 */
export function defaultNoteTypes(): NoteType[] {
  const none = { note: false, email: false, sms: false };
  return [
    { name: 'General', default: { ...none, note: true } },
    { name: 'Phone Call', default: { ...none } },
    { name: 'Email', default: { ...none, email: true } },
    { name: 'SMS', default: { ...none, sms: true } },
    { name: 'Meeting', default: { ...none } },
  ];
}

/** The account's note type of that name for a record kind (names compare case-insensitively [unverified]). */
export function findNoteType(account: Account, kind: RecordKind, name: string): NoteType | undefined {
  const wanted = name.trim().toLowerCase();
  return account.noteTypes[kind].find((t) => t.name.toLowerCase() === wanted);
}

/** The type a note gets when the command names none: the account's default note type. */
export function defaultNoteType(account: Account, kind: RecordKind): NoteType | undefined {
  return account.noteTypes[kind].find((t) => t.default.note);
}

export function registerNoteTypeRoutes(router: ApiRouter): void {
  for (const kind of RECORD_KINDS) {
    // [spec: GetContactNoteTypeList / GetCandidateNoteTypeList] `Name` filters the list.
    router.add('GET', `/${kind}/lists/notetype`, (call) => {
      const name = one(call.query, 'Name')?.toLowerCase();
      const items = call.account.noteTypes[kind]
        .filter((t) => !name || t.name.toLowerCase().includes(name))
        .map((t) => ({ name: t.name, default: { ...t.default } }));
      return { status: 200, body: { items } };
    });
  }
}
