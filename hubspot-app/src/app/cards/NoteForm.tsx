/**
 * EXT-NOTE-1: a note on one of the record's calls. It goes to the call in
 * Aircall; the HubSpot call gets it once Aircall tells the bridge (seconds).
 * What was typed stays in the form until the bridge took it.
 */
import { Alert, Button, Flex, Select, Text, TextArea } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { type Activity, formatWhen, summaryOf, typeLabel } from './activity';
import { addNote, CardError } from './backend';

const MAX_NOTE = 5000;

export function NoteForm(props: {
  calls: Activity[];
  timeZone: string | undefined;
  locale: string | undefined;
  backend: string;
  onAdded: (message: string) => void;
}) {
  const [callId, setCallId] = useState<string>(props.calls[0]?.id ?? '');
  const [content, setContent] = useState('');
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<CardError | null>(null);

  const send = async () => {
    if (content.trim() === '') {
      setProblem(new CardError('The note is empty.', 'Type the note, then add it.'));
      return;
    }
    setSending(true);
    setProblem(null);
    try {
      await addNote(props.backend, callId, content.trim());
      setContent('');
      props.onAdded(
        `Note added to call ${callId} in Aircall. The HubSpot call shows it within a few seconds.`,
      );
    } catch (err) {
      setProblem(err instanceof CardError ? err : new CardError((err as Error).message, 'Try again.'));
    } finally {
      setSending(false);
    }
  };

  const options = props.calls.map((a) => {
    const s = summaryOf(a);
    return { value: a.id, label: `${typeLabel(a, s)}, ${formatWhen(s.at, props.timeZone, props.locale)}` };
  });
  return (
    <Flex direction="column" gap="xs">
      <Text format={{ fontWeight: 'demibold' }}>Add a note to a call</Text>
      <Select
        label="Call"
        name="callId"
        value={callId}
        options={options}
        onChange={(value) => setCallId(String(value))}
      />
      <TextArea
        label="Note"
        name="note"
        value={content}
        maxLength={MAX_NOTE}
        rows={3}
        description="Added to the call in Aircall, then to the HubSpot call."
        onChange={(value) => setContent(value)}
      />
      {problem && (
        <Alert title="The note was not added" variant="error">
          {`${problem.message} What to do: ${problem.fix}`}
        </Alert>
      )}
      <Button variant="primary" disabled={sending} onClick={() => void send()}>
        {sending ? 'Adding…' : 'Add note'}
      </Button>
    </Flex>
  );
}
