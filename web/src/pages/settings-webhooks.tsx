import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ok } from '../api/errors';
import type { components } from '../api/schema';
import type { Delivery, Webhook } from '../api/types';

type EventName = components['schemas']['CreateWebhookDto']['events'][number];
import { ErrorBox, Show, useAction, useLoad } from '../components/async';
import { ShownOnce } from '../components/shown-once';
import { when } from '../format';

const EVENTS: EventName[] = [
  'integrated_account.created',
  'integrated_account.needs_reauth',
  'integrated_account.reactivated',
  'integrated_account.deleted',
  'sync.succeeded',
  'sync.failed',
  'user.added',
  'user.removed',
  'user.updated',
  'seat.reclaimable',
];

export function WebhooksSection() {
  const [hooks, reload] = useLoad(() => ok(api.GET('/webhooks', { params: { query: { limit: 100 } } })), []);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<EventName[]>(['*']);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [act, busy, error] = useAction();
  const toggle = (event: EventName, on: boolean) => {
    const rest = events.filter((e) => e !== event && e !== '*');
    setEvents(event === '*' ? (on ? ['*'] : []) : on ? [...rest, event] : rest);
  };
  const create = (e: Event) => {
    e.preventDefault();
    void act(async () => {
      const created = await ok(api.POST('/webhooks', { body: { url: url.trim(), events } }));
      setSecret((created as { secret: string }).secret);
      setUrl('');
      reload();
    });
  };
  return (
    <section aria-labelledby="hooks-heading" class="panel">
      <h2 id="hooks-heading">Webhooks</h2>
      <form class="inline-form" onSubmit={create} aria-label="Create a webhook">
        <div class="field">
          <label for="hook-url">Endpoint URL</label>
          <input id="hook-url" type="url" required value={url} onInput={(e) => setUrl(e.currentTarget.value)} placeholder="https://example.com/hooks/hub" />
        </div>
        <fieldset>
          <legend>Events</legend>
          {(['*', ...EVENTS] as EventName[]).map((event) => (
            <label key={event} class="choice">
              <input type="checkbox" checked={events.includes(event)} onChange={(e) => toggle(event, e.currentTarget.checked)} />
              {event === '*' ? 'All events' : event}
            </label>
          ))}
        </fieldset>
        <button type="submit" class="primary" disabled={busy || !url.trim() || events.length === 0}>
          Create webhook
        </button>
      </form>
      <ErrorBox error={error} />
      {secret && <ShownOnce label="Signing secret" value={secret} note="Verify deliveries with it (Standard Webhooks). It is shown this once." />}
      <Show loaded={hooks}>
        {(page) => (
          <table>
            <caption class="sr-only">Webhooks</caption>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Enabled</th>
                <th scope="col">Created</th>
                <th scope="col"><span class="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {page.result.map((hook: Webhook) => (
                <>
                  <tr key={hook.id}>
                    <td>{hook.url}</td>
                    <td>{(hook.events as string[]).join(', ')}</td>
                    <td>{hook.enabled ? 'yes' : `no${hook.disabled_reason ? ` (${hook.disabled_reason})` : ''}`}</td>
                    <td>{when(hook.created_at)}</td>
                    <td>
                      <button type="button" aria-expanded={open === hook.id} aria-label={`Deliveries of ${hook.url}`} onClick={() => setOpen(open === hook.id ? null : hook.id)}>
                        Deliveries
                      </button>
                    </td>
                  </tr>
                  {open === hook.id && (
                    <tr key={`${hook.id}-deliveries`}>
                      <td colSpan={5}>
                        <Deliveries id={hook.id} />
                      </td>
                    </tr>
                  )}
                </>
              ))}
            </tbody>
          </table>
        )}
      </Show>
    </section>
  );
}

function Deliveries({ id }: { id: string }) {
  const [page] = useLoad(() => ok(api.GET('/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: 50 } } })), [id]);
  return (
    <Show loaded={page}>
      {(p) =>
        p.result.length === 0 ? (
          <p>No deliveries yet.</p>
        ) : (
          <table>
            <caption>Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">Last attempt</th>
                <th scope="col">Next attempt</th>
              </tr>
            </thead>
            <tbody>
              {p.result.map((d: Delivery) => (
                <tr key={d.id}>
                  <td>{d.event_type}</td>
                  <td>{d.status}</td>
                  <td>{d.attempts}</td>
                  <td>{d.last_response_code ?? d.last_error ?? '—'}</td>
                  <td>{when(d.last_attempt_at)}</td>
                  <td>{when(d.next_attempt_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </Show>
  );
}
