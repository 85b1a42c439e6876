import { accessRows } from '../logic/access-rows';

/** What the credentials give access to, as a definition list. */
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
