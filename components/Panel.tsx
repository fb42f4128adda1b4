/**
 * The agent's side panel (SPEC section 7): a collapsible column at the
 * page's right edge, in a shadow root (EXT-UI-1). Collapsed, it is a small
 * tab that covers none of the CRM's controls.
 */
import { useEffect, useId } from 'react';
import { usePanel } from './context.ts';
import { CallItem } from './CallItem.tsx';
import { Inbox } from './Inbox.tsx';
import { PhoneFix } from './PhoneFix.tsx';
import { Status } from './Status.tsx';

const CRM_NAMES = { hubspot: 'HubSpot', salesforce: 'Salesforce', jobadder: 'JobAdder' } as const;

export function Panel() {
  const collapsed = usePanel((s) => s.collapsed);
  const setCollapsed = usePanel((s) => s.setCollapsed);
  const record = usePanel((s) => s.record);
  const activity = usePanel((s) => s.activity);
  const count = activity.state === 'ready' ? activity.data.length : null;
  const bodyId = useId();

  if (!record) return null;
  return (
    <aside className={collapsed ? 'panel collapsed' : 'panel'} aria-label="Aircall calls and SMS">
      <header>
        <button
          type="button"
          className="toggle"
          aria-expanded={!collapsed}
          aria-controls={bodyId}
          onClick={() => setCollapsed(!collapsed)}
        >
          <span aria-hidden="true">{collapsed ? '◀' : '▶'}</span> Aircall
          {count !== null ? ` (${count})` : ''}
          <span className="visually-hidden">{collapsed ? ', show the panel' : ', hide the panel'}</span>
        </button>
      </header>
      {!collapsed && (
        <div id={bodyId} className="body">
          <p className="record-line">
            {CRM_NAMES[record.crm]} {record.objectType} {record.recordId}
          </p>
          <Zone />
          <Status />
          <PhoneFix />
          <CallList />
          <Inbox />
        </div>
      )}
    </aside>
  );
}

/** EXT-LIST-1: the zone the times are in, named, and whose it is. */
function Zone() {
  const zone = usePanel((s) => s.zone);
  const known = usePanel((s) => s.zoneKnown);
  return (
    <p className="zone" data-testid="zone">
      Times in {zone.timeZone}
      {zone.agent
        ? ' (your Aircall time zone)'
        : known
          ? " (this browser's: your Aircall user has no time zone)"
          : " (this browser's, until the backend answers)"}
    </p>
  );
}

function CallList() {
  const key = usePanel((s) => s.key);
  const activity = usePanel((s) => s.activity);
  const listShown = usePanel((s) => s.listShown);
  const ready = activity.state === 'ready';
  // While the backend cannot be reached, the last list stays (with any note being typed).
  const data =
    activity.state === 'ready' ? activity.data : activity.state === 'failed' ? activity.data : undefined;
  useEffect(() => {
    // Measured from the record's detection to this render (performance marks, issue 6).
    if (ready && key) listShown(key);
  }, [ready, key, listShown]);

  if (activity.state === 'loading') {
    return (
      <p className="state" role="status">
        Loading this record's calls and SMS…
      </p>
    );
  }
  if (!data) return null;
  if (data.length === 0) {
    return (
      <p className="state empty" data-testid="empty">
        No calls or SMS logged on this record yet.
      </p>
    );
  }
  return (
    <section aria-label="Calls and SMS on this record">
      <ol className="calls" data-record={key ?? ''}>
        {data.map((a) => (
          <CallItem key={`${a.kind}:${a.id}`} activity={a} />
        ))}
      </ol>
    </section>
  );
}
