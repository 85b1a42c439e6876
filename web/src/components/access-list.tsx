/** What a connector learnt at authenticate() (organization, role, teams…) as label/value rows. */
export function accessRows(access: unknown, path = ''): [string, string][] {
  if (access === null || access === undefined) return [];
  if (Array.isArray(access)) {
    if (access.every((v) => typeof v !== 'object' || v === null)) return [[path, access.join(', ') || 'none']];
    return [[path, `${access.length} item${access.length === 1 ? '' : 's'}`]];
  }
  if (typeof access === 'object') {
    return Object.entries(access as Record<string, unknown>).flatMap(([key, value]) => accessRows(value, path ? `${path} ${key}` : key));
  }
  return [[path, String(access)]];
}

export function AccessList({ access }: { access: unknown }) {
  const rows = accessRows(access).slice(0, 20);
  if (rows.length === 0) return <p>Nothing more is known.</p>;
  return (
    <dl class="access">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label.replace(/_/g, ' ')}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
