import type { JbProduct } from '../../src/connectors/jetbrains/jetbrains.types';

/** Licensing codes as the reference lists them (upstream-apis.md §2); served by GET /products. */
export const PRODUCTS: JbProduct[] = [
  { code: 'II', name: 'IntelliJ IDEA Ultimate' },
  { code: 'WS', name: 'WebStorm' },
  { code: 'PC', name: 'PyCharm Professional' },
  { code: 'GO', name: 'GoLand' },
  { code: 'DB', name: 'DataGrip' },
  { code: 'CL', name: 'CLion' },
  { code: 'PS', name: 'PhpStorm' },
  { code: 'RM', name: 'RubyMine' },
  { code: 'RD', name: 'Rider' },
  { code: 'RR', name: 'RustRover' },
  { code: 'DS', name: 'DataSpell' },
  { code: 'ALL', name: 'All Products Pack' },
  { code: 'AIP', name: 'AI Assistant Pro' },
];

export const PLUGINS: JbProduct[] = [
  { code: 'PCWMP', name: 'Code With Me Premium' },
  { code: 'PDB', name: 'Database Tools' },
];
