import { pick } from '../shared/random';

/**
 * Display names as an Atlassian directory holds them: accents, apostrophes, particles, some people
 * known by one name, some with an empty name (the profile hides it and no nickname is set).
 */
const FIRST = ['Ada', 'Zoë', 'José', 'François', 'Søren', 'Ngozi', 'Seán', 'Łukasz', 'Chloé', 'Björn', 'Aoife', 'Dmitrii', 'Mei', 'Renée', 'Ömer', 'Priya', 'Jürgen', 'Inés'];
const LAST = ["O'Brien", 'Núñez', 'Müller', "D'Angelo", 'Kowalski', 'Ångström', 'van der Berg', 'Nakamura', 'Okafor', 'Øvergaard', 'Dubois-Lefèvre', "N'Diaye", 'Çelik', 'Smith'];

export function personName(random: () => number): string {
  const roll = random();
  if (roll < 0.01) return '';
  if (roll < 0.05) return pick(random, FIRST);
  return `${pick(random, FIRST)} ${pick(random, LAST)}`;
}

/** An address for a name: accents folded, apostrophes and spaces dropped, made unique by `n`. */
export function emailFor(name: string, n: number, domain: string): string {
  const local = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/gi, 'o')
    .replace(/ł/gi, 'l')
    .toLowerCase()
    .replace(/[^a-z ]/g, '')
    .trim()
    .replace(/\s+/g, '.');
  return `${local || 'user'}.${n}@${domain}`;
}
