import { pick } from '../shared/random';

/**
 * People of a generated organisation as the JetBrains Account shows them: names as people typed
 * them (accents, apostrophes, hyphens, several words, one word, none, other scripts) and work
 * addresses with subdomains, `+tags` and numbered duplicates. The hub keys people on the address
 * without regard to letter case, so `emailAsShown` gives the same address in other letter cases.
 */
export interface GeneratedPerson {
  /** `undefined`: the key is absent from the assignee; `null` and `''` are sent as they are. */
  name: string | null | undefined;
  /** The address as the person's account has it (lower case, ASCII). */
  email: string;
}

const FIRST = [
  'Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Margaret', 'Donald', 'Frances', 'John', 'Radia', 'Tim',
  'Sophie', 'Anita', 'Niklaus', 'José', 'François', 'Zoë', 'Søren', 'Łukasz', 'Björn', 'Chloé', 'Jürgen',
  'Małgorzata', 'Ólafur', 'Núria', 'Renée', 'Håkon', 'Siobhán', 'Seán', 'Dagný', 'Çağla', 'Žofie', 'Mary-Jane',
  'Jean-Luc', 'Anne-Marie', 'Ana María', 'Priya', 'Oluwaseun', 'Nguyễn', 'Thảo', 'Aoife', 'Émile', 'Inés',
  'Astrid', 'Magnus', 'Agnieszka', 'Tomasz', 'Jiří', 'Zuzana', 'Günther', 'Käthe', 'Matthias', 'João', 'Léa',
  'Lucía', 'Mateo', 'Noémie', 'Kwame', 'Amara', 'Rahul', 'Meera', 'Yusuf', 'Elif', 'Dmitri', 'Katarzyna',
];
/** Surnames as they are, with the characters that trip software up. */
const LAST = [
  'Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Thompson', 'Hamilton', 'Knuth', 'Allen', 'Backus',
  'Perlman', 'Berners-Lee', 'Wirth', "O'Brien", "D'Angelo", "O'Connor-Walsh", 'Müller', 'Groß', 'Strauß',
  'Łukasiewicz', 'Nørgaard', 'Søndergård', 'Dvořák', 'Šimůnek', 'García Márquez', 'van der Berg', 'de la Cruz',
  'Smith-Jones', 'Øvergaard', 'Jóhannsdóttir', 'Kowalczyk', 'Çelik', 'Ng', 'Lê', 'Ó Súilleabháin', 'Pérez',
];
/** Made-up surnames from stems and endings, so a large organisation has few namesakes. */
const STEMS = [
  'Ander', 'Niel', 'Peder', 'Hák', 'Lind', 'Sand', 'Øster', 'Berg', 'Kowal', 'Nowak', 'Wiśniew', 'Kamiń', 'Zieliń',
  'Dąbrow', 'Novot', 'Procház', 'Schmid', 'Schneid', 'Fisch', 'Wagn', 'Schäf', 'Köhl', 'Weiß', 'Hartm', 'Fernánd',
  'Gonzál', 'Rodríg', 'Martín', 'Sánch', 'Lefèvr', 'Gir', 'Rouss', 'Okon', 'Adeb', 'Nakam', 'Tanab', 'Yıldır',
  'Kaya', 'Petr', 'Ivan',
];
const ENDINGS = ['sen', 'son', 'ström', 'lund', 'gård', 'ski', 'ska', 'czyk', 'ová', 'owicz', 'er', 'mann', 'hardt', 'ez', 'eau', 'ura'];

function surname(random: () => number): string {
  return random() < 0.3 ? pick(random, LAST) : pick(random, STEMS) + pick(random, ENDINGS);
}
/** Names in other scripts, with the handle their address is made from. */
const OTHER_SCRIPTS: [name: string, handle: string][] = [
  ['Иван Петров', 'ivan.petrov'],
  ['Ольга Смирнова', 'olga.smirnova'],
  ['王小明', 'xiaoming.wang'],
  ['李娜', 'na.li'],
  ['佐藤 花子', 'hanako.sato'],
  ['김민준', 'minjun.kim'],
  ['Γιώργος Παπαδόπουλος', 'giorgos.papadopoulos'],
  ['محمد علي', 'mohamed.ali'],
  ['דוד כהן', 'david.cohen'],
  ['अर्जुन शर्मा', 'arjun.sharma'],
];
const SINGLE = ['Linus', 'Madonna', 'Teller', 'Suharto', 'Bjørk', 'Pelé', 'Zé'];
/** Where addresses live: mostly the main domain, then subsidiaries' subdomains and outsiders. */
const DOMAINS: [domain: string, weight: number][] = [
  ['corp.example', 60],
  ['eu.corp.example', 12],
  ['us.corp.example', 9],
  ['dev.eng.corp.example', 5],
  ['subsidiary.example', 6],
  ['contractors.partner.example', 5],
  ['mail.example', 3],
];
const TAGS = ['jetbrains', 'ide', 'licenses', 'dev'];
const DOMAIN_TABLE = DOMAINS.flatMap(([domain, weight]) => Array<string>(weight).fill(domain));

/** Letters an address cannot hold, folded the way people spell their names in addresses. */
const FOLDED: Record<string, string> = { ß: 'ss', ø: 'o', ł: 'l', đ: 'd', æ: 'ae', œ: 'oe', þ: 'th', ı: 'i', ð: 'd' };

/** `Søren O'Brien-Łukasiewicz` -> `soren`, `obrien-lukasiewicz`: lower-case ASCII for an address. */
export function addressPart(word: string): string {
  let part = addressParts.get(word);
  if (part === undefined) {
    part = foldForAddress(word);
    addressParts.set(word, part);
  }
  return part;
}
/** The pools are small: each word is folded once. */
const addressParts = new Map<string, string>();

function foldForAddress(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßøłđæœþıð]/g, (c) => FOLDED[c]!)
    .replace(/['’]/g, '')
    .replace(/\s+/g, '');
}

/** Makes people one after another, every address distinct (a second John Smith gets `john.smith2`). */
export function personFactory(random: () => number): () => GeneratedPerson {
  // Handles hold no digits, so `handle` + a number per handle and domain never meets another address.
  const namesakes = new Map<string, number>();
  return () => {
    const { name, handle } = nameAndHandle(random);
    const tag = random() < 0.05 ? `+${pick(random, TAGS)}` : '';
    const domain = pick(random, DOMAIN_TABLE);
    const key = `${handle}@${domain}`;
    const count = (namesakes.get(key) ?? 0) + 1;
    namesakes.set(key, count);
    return { name, email: `${handle}${count > 1 ? count : ''}${tag}@${domain}` };
  };
}

function nameAndHandle(random: () => number): { name: string | null | undefined; handle: string } {
  const roll = random();
  const first = pick(random, FIRST);
  const last = surname(random);
  const latinHandle = localPart(random, addressPart(first), addressPart(last));
  if (roll < 0.02) return { name: undefined, handle: latinHandle };
  if (roll < 0.03) return { name: null, handle: latinHandle };
  if (roll < 0.04) return { name: '', handle: latinHandle };
  if (roll < 0.07) {
    const single = pick(random, SINGLE);
    return { name: single, handle: addressPart(single) };
  }
  if (roll < 0.11) {
    const [name, handle] = pick(random, OTHER_SCRIPTS);
    return { name, handle };
  }
  // Some people typed stray spaces around their name; the hub trims them.
  const name = roll < 0.115 ? ` ${first} ${last} ` : `${first} ${last}`;
  return { name, handle: latinHandle };
}

/** first.last mostly; also flast, first_last and last alone, as mail admins choose. */
function localPart(random: () => number, first: string, last: string): string {
  const roll = random();
  if (roll < 0.72) return `${first}.${last}`;
  if (roll < 0.84) return `${first.charAt(0)}${last}`;
  if (roll < 0.93) return `${first}_${last}`;
  return last;
}

/**
 * The address as one license shows it: as the account has it, or now and then in other letter
 * cases (typed by an admin on assignment), which must still be the same person.
 */
export function emailAsShown(random: () => number, email: string, mayVary: boolean): string {
  if (!mayVary || random() >= 0.18) return email;
  const [local, domain] = email.split('@') as [string, string];
  const roll = random();
  if (roll < 0.4) return `${capitalWords(local)}@${domain}`;
  if (roll < 0.6) return email.toUpperCase();
  if (roll < 0.8) return `${local}@${capitalWords(domain)}`;
  return `${capitalWords(local)}@${domain.toUpperCase()}`;
}

/** `ada.o-brien+ide` -> `Ada.O-Brien+Ide`. */
function capitalWords(text: string): string {
  return text.replace(/(^|[.\-_+])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}
