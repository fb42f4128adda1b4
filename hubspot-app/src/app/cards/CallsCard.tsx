/**
 * The card: the open record's Aircall calls and SMS as the bridge logged them
 * (EXT-LIST-1, the same list as the extension's panel), and a form to add a
 * note to one of its calls (EXT-NOTE-1). Everything comes from the bridge
 * through hubspot.fetch (backend.ts); the record, the user and the backend
 * URL come from HubSpot's extension context.
 */
import {
  Button,
  Divider,
  EmptyState,
  ErrorState,
  Flex,
  LoadingSpinner,
  Text,
  useExtensionActions,
  useExtensionContext,
} from '@hubspot/ui-extensions';
import { useCallback, useEffect, useState } from 'react';
import { type Activity, type CardAgent, displayZone } from './activity';
import { backendUrlOf, CardError, loadActivity } from './backend';
import { CallEntry } from './CallEntry';
import { NoteForm } from './NoteForm';

/** HubSpot object type ids to the bridge's record types (only records calls are logged on). */
const OBJECT_TYPES: Record<string, string> = { '0-1': 'contacts', '0-2': 'companies' };

type State =
  | { status: 'loading' }
  | { status: 'failed'; error: CardError }
  | { status: 'ready'; backend: string; activity: Activity[]; agent: CardAgent };

function asCardError(err: unknown): CardError {
  return err instanceof CardError
    ? err
    : new CardError(
        `The card failed: ${(err as Error).message}`,
        'Reload the page; if it keeps failing, tell your admin.',
      );
}

export function CallsCard() {
  const context = useExtensionContext<'crm.record.sidebar'>();
  const actions = useExtensionActions<'crm.record.sidebar'>();
  const [state, setState] = useState<State>({ status: 'loading' });
  const [reloads, setReloads] = useState(0);
  const reload = useCallback(() => setReloads((n) => n + 1), []);

  const objectType = OBJECT_TYPES[context.crm.objectTypeId];
  const recordId = context.crm.objectId;
  const backendSetting = context.variables?.BACKEND_URL;

  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    (async () => {
      if (!objectType) {
        throw new CardError(
          'Calls are logged on contacts and companies only.',
          'Open a contact or a company record to see its calls.',
        );
      }
      const backend = backendUrlOf(backendSetting);
      return { backend, ...(await loadActivity(backend, { objectType, recordId })) };
    })().then(
      // A reply for a record no longer open is dropped.
      (reply) => current && setState({ status: 'ready', ...reply }),
      (err: unknown) => current && setState({ status: 'failed', error: asCardError(err) }),
    );
    return () => {
      current = false;
    };
  }, [objectType, recordId, backendSetting, reloads]);

  if (state.status === 'loading') return <LoadingSpinner label="Loading the Aircall calls…" showLabel />;

  if (state.status === 'failed') {
    return (
      <ErrorState title="The Aircall calls could not be loaded">
        <Text>{state.error.message}</Text>
        <Text>What to do: {state.error.fix}</Text>
        <Button onClick={reload}>Try again</Button>
      </ErrorState>
    );
  }

  const timeZone = displayZone(state.agent.timeZone);
  const locale = context.user.locale;
  const calls = state.activity.filter((a) => a.kind === 'call');
  return (
    <Flex direction="column" gap="sm">
      {state.activity.length === 0 ? (
        <EmptyState title="No Aircall calls yet" imageName="callingSetUp" layout="vertical">
          <Text>
            No Aircall call or SMS is logged on this record. Calls appear here once the bridge has logged
            them.
          </Text>
        </EmptyState>
      ) : (
        <>
          <Text variant="microcopy">
            {timeZone
              ? `Times in ${timeZone}, ${state.agent.name ? `${state.agent.name}'s` : 'your'} Aircall time zone.`
              : 'Times in your time zone.'}
          </Text>
          {state.activity.map((a) => (
            <CallEntry key={`${a.kind}:${a.id}`} activity={a} timeZone={timeZone} locale={locale} />
          ))}
        </>
      )}
      <Divider />
      {calls.length > 0 && (
        <NoteForm
          calls={calls}
          timeZone={timeZone}
          locale={locale}
          backend={state.backend}
          onAdded={(message) => {
            actions.addAlert({ type: 'success', message });
            reload();
          }}
        />
      )}
      <Button variant="transparent" onClick={reload}>
        Refresh
      </Button>
    </Flex>
  );
}
