/** One call or SMS of the record (EXT-LIST-1), with why it was not logged when it was not (EXT-WHY-1). */
import { Accordion, Flex, Link, Tag, Text, Tile } from '@hubspot/ui-extensions';
import {
  type Activity,
  formatDuration,
  formatWhen,
  loggingLabel,
  notLogged,
  summaryOf,
  typeLabel,
} from './activity';

export function CallEntry(props: {
  activity: Activity;
  timeZone: string | undefined;
  locale: string | undefined;
}) {
  const a = props.activity;
  const s = summaryOf(a);
  const direction = s.direction === 'outbound' ? 'Outbound' : s.direction === 'inbound' ? 'Inbound' : null;
  const duration = a.kind === 'call' ? formatDuration(s.durationS) : null;
  const facts = [formatWhen(s.at, props.timeZone, props.locale), direction, duration].filter(
    (f): f is string => f !== null,
  );
  const who = [
    s.agent ? `Agent: ${s.agent}` : 'No agent',
    s.number ? `Line: ${s.number}` : null,
    a.outcome ? `Outcome: ${a.outcome}` : null,
  ].filter((f): f is string => f !== null);
  return (
    <Tile compact testId={`activity-${a.kind}-${a.id}`}>
      <Flex direction="column" gap="xs">
        <Text format={{ fontWeight: 'demibold' }}>{typeLabel(a, s)}</Text>
        <Text variant="microcopy">{facts.join(' · ')}</Text>
        <Text>{who.join(' · ')}</Text>
        {s.body && <Text>{s.body}</Text>}
        {(s.recording || s.voicemail) && (
          <Flex gap="sm">
            {s.recording && <Link href={{ url: s.recording, external: true }}>Recording</Link>}
            {s.voicemail && <Link href={{ url: s.voicemail, external: true }}>Voicemail</Link>}
          </Flex>
        )}
        {s.aiSummary && <Text>{`AI summary: ${s.aiSummary}`}</Text>}
        {s.tags.length > 0 && (
          <Flex gap="xs" wrap="wrap">
            {s.tags.map((t) => (
              <Tag key={t.id}>{t.name}</Tag>
            ))}
          </Flex>
        )}
        {s.notes.map((n) => (
          <Text key={n.id} variant="microcopy">
            {`Note: ${n.content}${n.by ? ` (${n.by})` : ''}`}
          </Text>
        ))}
        {notLogged(a) && (
          <Accordion title="Why was this not logged?" size="sm">
            {a.logging.length === 0 && <Text>No integration has processed this call yet.</Text>}
            {a.logging.map((l, i) => (
              <Flex key={i} direction="column" gap="xs">
                <Text format={{ fontWeight: 'demibold' }}>{`${l.crm}: ${loggingLabel(l)}`}</Text>
                {l.trace.map((t, j) => (
                  <Text key={j} variant="microcopy">{`${t.rule} ${t.outcome}: ${t.detail}`}</Text>
                ))}
              </Flex>
            ))}
          </Accordion>
        )}
      </Flex>
    </Tile>
  );
}
