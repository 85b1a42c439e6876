import { useState } from 'preact/hooks';

/** A secret the hub shows this once (a new key, a webhook secret, a connect link), with a copy button. */
export function ShownOnce({ label, value, note }: { label: string; value: string; note: string }) {
  const [copied, setCopied] = useState(false);
  const id = `once-${label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div class="shown-once" role="status">
      <label for={id}>{label}</label>
      <input id={id} readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
      <button
        type="button"
        onClick={() => navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false))}
      >
        Copy
      </button>
      <p class="hint">{copied ? 'Copied. ' : ''}{note}</p>
    </div>
  );
}
