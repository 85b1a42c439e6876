/** An account's status; needs_reauth stands out (colour, icon and words, not colour alone). */
export function AccountStatus({ status }: { status: string }) {
  if (status === 'needs_reauth') {
    return (
      <span class="badge bad">
        <span aria-hidden="true">⚠ </span>Needs re-auth
      </span>
    );
  }
  return <span class="badge good">{status === 'active' ? 'Active' : status}</span>;
}

export function SyncResult({ status }: { status: string | null | undefined }) {
  if (!status) return <span class="muted">Not synced yet</span>;
  const labels: Record<string, string> = { succeeded: 'Succeeded', failed: 'Failed', running: 'Running', queued: 'Queued' };
  return <span class={`badge ${status === 'failed' ? 'bad' : status === 'succeeded' ? 'good' : 'busy'}`}>{labels[status] ?? status}</span>;
}
