import type { SeatFigures } from '../logic/seat-figures';

const PARTS = [
  ['active', 'Active', 'seg-active'],
  ['inactive', 'Inactive', 'seg-inactive'],
  ['never_used', 'Never used', 'seg-never'],
  ['available', 'Available', 'seg-available'],
] as const;

/**
 * Stacked bars as inline SVG (no chart library, nothing fetched). Each bar is an image whose name
 * says its numbers, so a screen reader gets the same facts as the picture; the figures also sit
 * beside it as text. Colours come from the stylesheet and each part has a pattern-free legend
 * with the count, so colour is never the only carrier.
 */
export function SeatChart({ bars, inactiveDays }: { bars: SeatFigures[]; inactiveDays: number }) {
  const width = 480;
  const max = Math.max(1, ...bars.map((b) => b.active + b.inactive + b.never_used + (b.available ?? 0)));
  return (
    <div class="seat-chart">
      <ul class="legend" aria-label="Legend">
        {PARTS.map(([, name, cls]) => (
          <li key={cls}>
            <svg width="12" height="12" aria-hidden="true"><rect class={cls} width="12" height="12" /></svg> {name}
          </li>
        ))}
      </ul>
      {bars.map((bar) => {
        let x = 0;
        const text = PARTS.map(([key, name]) => `${name} ${bar[key] ?? 'unknown'}`).join(', ');
        return (
          <figure key={bar.label} class="bar">
            <figcaption>{bar.label}</figcaption>
            <svg role="img" aria-label={`${bar.label}: ${text} (inactive means no activity for ${inactiveDays} days)`} viewBox={`0 0 ${width} 20`} width="100%" height="20" preserveAspectRatio="none">
              {PARTS.map(([key, , cls]) => {
                const value = bar[key] ?? 0;
                const w = (value / max) * width;
                const rect = <rect key={key} class={cls} x={x} y={0} width={w} height={20} />;
                x += w;
                return rect;
              })}
            </svg>
            <p class="figures">{text}</p>
          </figure>
        );
      })}
    </div>
  );
}
